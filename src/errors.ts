/**
 * One error base class with a stable `code`, an HTTP `status` and a Chinese message
 * that can be shown to end users. Transports translate AppError into responses;
 * anything else becomes a generic 500 (INTERNAL) without its stack.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: '请求格式不正确。' },
  EMPTY_QUESTION: { status: 400, message: '请输入您的问题。' },
  QUESTION_TOO_LONG: { status: 413, message: '问题太长了，请精简后再问。' },
  REQUEST_TIMEOUT: { status: 408, message: '请求发送超时，请重试。' },
  BODY_TOO_LARGE: { status: 413, message: '请求内容过大。' },
  INVALID_FRAME: { status: 400, message: '消息格式不正确。' },
  UNKNOWN_FRAME: { status: 400, message: '不支持的消息类型。' },
  BINARY_NOT_ALLOWED: { status: 400, message: '不支持二进制消息。' },
  BUSY: { status: 429, message: '上一个问题还在回答中，请稍候。' },
  RATE_LIMITED: { status: 429, message: '提问太频繁了，请稍后再试。' },
  TOO_MANY_CONNECTIONS: { status: 429, message: '连接数过多，请稍后再试。' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: '此网站未被允许使用问答服务。' },
  UNAUTHORIZED: { status: 401, message: '需要管理员令牌。' },
  SIGN_IN_REQUIRED: { status: 401, message: '请先登录管理后台。' },
  SIGN_IN_FAILED: { status: 401, message: '用户名或密码不正确。' },
  ACCOUNT_LOCKED: { status: 429, message: '登录失败次数过多，账号已暂时锁定，请稍后再试。' },
  FORBIDDEN: { status: 403, message: '您的角色没有这项操作的权限。' },
  CSRF_FAILED: { status: 403, message: '页面已过期，请刷新后重试。' },
  UNSUPPORTED_FILE: { status: 415, message: '不支持的文件类型。' },
  CURATED_INVALID: { status: 422, message: '精选答案未通过检查。' },
  NOT_FOUND: { status: 404, message: '未找到请求的内容。' },
  INDEX_NOT_READY: { status: 503, message: '知识库正在准备中，请稍后再试。' },
  INDEX_MISMATCH: {
    status: 500,
    message: '索引与当前配置不一致，请运行 npm run ingest 重建索引。',
  },
  INDEX_DAMAGED: { status: 503, message: '索引文件已损坏，请运行 npm run ingest 重建索引。' },
  INDEX_MISSING: { status: 500, message: '索引不存在，请运行 npm run ingest。' },
  INGEST_FAILED: { status: 500, message: '导入文档失败。' },
  CONFIG_INVALID: { status: 500, message: '配置有误。' },
  LLM_FAILED: { status: 502, message: '大模型服务暂时不可用。' },
  STORE_UNAVAILABLE: { status: 503, message: '问答记录暂时无法保存，请稍后再试。' },
  SHUTTING_DOWN: { status: 503, message: '服务正在重启，请稍后再试。' },
  INTERNAL: { status: 500, message: '服务内部错误，请稍后再试。' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** Overrides the default Chinese message for this code. */
  message?: string;
  /** Extra detail for logs and programs (never shown as HTML). */
  detail?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.detail = options.detail;
  }

  toJSON(): { code: ErrorCode; message: string; detail?: string } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Any thrown value as an AppError; unknown errors become INTERNAL with the cause kept. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError('INTERNAL', { cause: error });
}
