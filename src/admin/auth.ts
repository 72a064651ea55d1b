/**
 * Who is calling /api/admin: a console user with a session cookie (HttpOnly,
 * SameSite=Strict; changes also need the session's CSRF token in X-CSRF-Token), or a
 * program with `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time). Wrong
 * passwords lock the account after ADMIN_LOCKOUT_ATTEMPTS in a row; wrong tokens and
 * sign-ins from one IP are refused for a minute after ADMIN_TOKEN_FAILURES_PER_MINUTE.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import type { AuditStore, Role, SessionStore, UserStore } from './store.js';

/** The cookie that carries the session. */
export const SESSION_COOKIE = 'wz_admin';

/** Who made a request. */
export interface Principal {
  name: string;
  role: Role;
  via: 'session' | 'token';
  csrfToken?: string;
}

export interface AuthOptions {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditStore;
  /** Empty: programs cannot call the admin API. */
  adminToken: string;
  sessionHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  failuresPerMinute: number;
  /** @default Date.now */
  clock?: () => number;
}

export interface Auth {
  /** Checks the password and starts a session (sets the cookie). */
  signIn(req: Request, res: Response, name: string, password: string): Promise<Principal>;
  signOut(req: Request, res: Response): Promise<void>;
  /** Sets res.locals.principal, or fails with UNAUTHORIZED / SIGN_IN_REQUIRED / CSRF_FAILED. */
  authenticate: RequestHandler;
  /** Lets editors through (after authenticate). */
  requireEditor: RequestHandler;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const hex = (s: string) => sha256(s).toString('hex');

/** Reads one cookie from the Cookie header (no cookie-parser needed for one value). */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** The principal of a request that passed authenticate. */
export function principalOf(res: Response): Principal {
  return res.locals['principal'] as Principal;
}

/** Builds the sign-in service and its middleware. */
export function createAuth(options: AuthOptions): Auth {
  const clock = options.clock ?? Date.now;
  const expectedToken = options.adminToken === '' ? null : sha256(options.adminToken);
  /** Failures per IP in the current minute; `check(ip, fail)` counts one and says whether the IP is over the limit. */
  const throttle = () => {
    const failures = new Map<string, { count: number; since: number }>();
    return (ip: string, fail: boolean): boolean => {
      const now = clock();
      let entry = failures.get(ip);
      if (!entry || now - entry.since > 60_000) entry = { count: 0, since: now };
      if (fail) entry.count++;
      failures.set(ip, entry);
      if (failures.size > 10_000) failures.clear(); // a flood from many addresses must not grow memory
      return entry.count >= options.failuresPerMinute;
    };
  };
  const signInThrottled = throttle();
  const tokenThrottled = throttle();
  const tooMany = () =>
    new AppError('ACCOUNT_LOCKED', { message: '来自此地址的错误尝试过多，请一分钟后再试。' });

  const setCookie = (req: Request, res: Response, value: string, maxAge: number) => {
    const secure = req.secure ? '; Secure' : '';
    res.setHeader(
      'Set-Cookie',
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    );
  };

  return {
    async signIn(req, res, name, password) {
      const ip = req.ip ?? '';
      if (signInThrottled(ip, false)) throw tooMany();
      const user = await options.users.get(name);
      if (user?.lockedUntil && user.lockedUntil > clock()) {
        throw new AppError('ACCOUNT_LOCKED', {
          message: `登录失败次数过多，账号已锁定至 ${new Date(user.lockedUntil).toLocaleTimeString('zh-CN', { hour12: false })}。`,
        });
      }
      // An unknown name costs the same time as a wrong password (no probing for names).
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        signInThrottled(ip, true);
        if (user && (await options.users.recordFailure(name)) >= options.lockoutAttempts) {
          await options.users.lock(name, clock() + options.lockoutMinutes * 60_000);
          await options.audit.record({
            actor: name,
            action: 'account.locked',
            target: name,
            detail: `${options.lockoutAttempts} 次登录失败`,
          });
        }
        throw new AppError('SIGN_IN_FAILED');
      }
      await options.users.clearFailures(name);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const maxAge = options.sessionHours * 3600;
      await options.sessions.purgeExpired(clock());
      await options.sessions.create({
        idHash: hex(token),
        user: name,
        csrfToken,
        expiresAt: clock() + maxAge * 1000,
      });
      setCookie(req, res, token, maxAge);
      await options.audit.record({
        actor: name,
        action: 'session.signin',
        target: name,
        detail: ip,
      });
      return { name, role: user.role, via: 'session', csrfToken };
    },
    async signOut(req, res) {
      const token = readCookie(req, SESSION_COOKIE);
      if (token) await options.sessions.delete(hex(token));
      setCookie(req, res, '', 0);
    },
    async authenticate(req, res, next) {
      const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
      if (bearer) {
        const ip = req.ip ?? '';
        if (tokenThrottled(ip, false)) return next(tooMany());
        if (!expectedToken || !timingSafeEqual(sha256(bearer[1]!.trim()), expectedToken)) {
          tokenThrottled(ip, true);
          return next(new AppError('UNAUTHORIZED'));
        }
        res.locals['principal'] = {
          name: 'ADMIN_TOKEN',
          role: 'editor',
          via: 'token',
        } satisfies Principal;
        return next();
      }
      const token = readCookie(req, SESSION_COOKIE);
      const session = token ? await options.sessions.get(hex(token)) : null;
      const user =
        session && session.expiresAt > clock() ? await options.users.get(session.user) : null;
      if (!session || !user) return next(new AppError(token ? 'SIGN_IN_REQUIRED' : 'UNAUTHORIZED'));
      // SameSite=Strict keeps other sites' requests from carrying the cookie; the token in
      // a header is the second lock (a form post from anywhere cannot set headers).
      if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
        const sent = Buffer.from(req.get('x-csrf-token') ?? '');
        const expected = Buffer.from(session.csrfToken);
        if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
          return next(new AppError('CSRF_FAILED'));
        }
      }
      res.locals['principal'] = {
        name: user.name,
        role: user.role,
        via: 'session',
        csrfToken: session.csrfToken,
      } satisfies Principal;
      next();
    },
    requireEditor(_req, res, next) {
      next(principalOf(res).role === 'editor' ? undefined : new AppError('FORBIDDEN'));
    },
  };
}
