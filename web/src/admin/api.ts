/** The console's calls to /api/admin: the session cookie travels by itself, the CSRF token in a header. */

/** A failed call, with the server's Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

/** Remembers the session's CSRF token (from sign-in or GET /session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token ?? '';
}

/** One call; JSON in and out (FormData is sent as multipart). */
export async function api<T = Record<string, unknown>>(
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { 'x-csrf-token': csrfToken };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`/api/admin${route}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(payload ? { body: payload } : {}),
  });
  const data = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string };
  };
  if (!res.ok)
    throw new ApiError(
      res.status,
      data.error?.code ?? 'INTERNAL',
      data.error?.message ?? `请求失败（${res.status}）`,
    );
  return data as T;
}
