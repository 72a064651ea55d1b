/**
 * The one reader of process.env. Validates every setting at start-up, throws one
 * error that lists every problem, and returns a frozen Config. Every key here is
 * documented in .env.example (a test checks that they match).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const str = (def: string) => z.string().default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const configSchema = z.object({
  NODE_ENV: str('development'),
  HOST: str('0.0.0.0'),
  PORT: int(3000),
  CORPUS_DIR: str('corpus'),
  INDEX_DIR: str('vectorstore'),
  DATA_DIR: str('data'),
  LEXICON_FILE: str(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_QUESTION_CHARS: int(200, 1),
  MAX_HISTORY: int(6),
  RETRIEVAL_K: int(8, 1),
  MAX_BODY_BYTES: int(16384, 256),
  RATE_LIMIT_PER_MINUTE: int(30),
  SESSION_RATE_LIMIT_PER_MINUTE: int(20),
  WS_MAX_PER_IP: int(20),
  WS_MAX_PAYLOAD: int(16384, 256),
  WS_HEARTBEAT_MS: int(30000, 10),
  WS_PINGS_PER_MINUTE: int(60),
  MAX_UNSENT_BYTES: int(1048576),
  HTTP_MAX_CONNECTIONS_PER_IP: int(100),
  HTTP_HEADERS_TIMEOUT_MS: int(10000, 100),
  HTTP_BODY_TIMEOUT_MS: int(10000, 100),
  HTTP_REQUEST_TIMEOUT_MS: int(30000, 100),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5000, 100),
  HTTP_IDLE_TIMEOUT_MS: int(120000, 100),
  ANSWER_CACHE_SIZE: int(500),
  LOG_STORE_MAX_PENDING: int(10000, 1),
  LOG_STORE_RETRY_MAX_MS: int(60000, 100),
  TRUST_PROXY: str('loopback'),
  ALLOWED_ORIGINS: list,
  GREETING: str(''),
  HANDOFF_PHONE: str(''),
  HANDOFF_HOURS: str(''),
  HANDOFF_URL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  SUGGESTIONS_FILE: str(''),
  ADMIN_TOKEN: str(''),
  LLM_PROVIDER: z.enum(['none', 'openai', 'ollama']).default('none'),
  LLM_BASE_URL: str(''),
  LLM_API_KEY: str(''),
  LLM_MODEL: str(''),
  LLM_TIMEOUT_MS: int(15000, 100),
  LLM_MAX_TOKENS: int(512, 16),
  LLM_MAX_CONCURRENCY: int(4, 1),
  LLM_REWRITE_FOLLOWUPS: bool(false),
  LLM_CIRCUIT_FAILURES: int(5, 1),
  LLM_CIRCUIT_COOLDOWN_MS: int(30000, 0),
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai', 'ollama']).default('local'),
  EMBEDDINGS_BASE_URL: str(''),
  EMBEDDINGS_API_KEY: str(''),
  EMBEDDINGS_MODEL: str(''),
  EMBEDDINGS_BATCH_SIZE: int(64, 1),
  INGEST_MAX_UNCOMPRESSED_BYTES: int(52428800, 1024),
  INGEST_MAX_PARAGRAPHS: int(100000, 1),
  INGEST_MAX_PDF_PAGES: int(2000, 1),
  ADMIN_SESSION_HOURS: int(8, 1),
  ADMIN_LOCKOUT_ATTEMPTS: int(5, 1),
  ADMIN_LOCKOUT_MINUTES: int(15, 1),
  ADMIN_TOKEN_FAILURES_PER_MINUTE: int(10, 1),
  ADMIN_UPLOAD_MAX_MB: int(50, 1),
  INGEST_MAX_OLD_SPACE_MB: int(2048, 64),
  /** Added to the server's nice value for an index build's child process (0–19). */
  INGEST_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  LOG_RETENTION_DAYS: int(180, 1),
  DATABASE_URL: z
    .union([
      z.literal(''),
      z.string().regex(/^postgres(ql)?:\/\/\S+$/, '应为 postgres://用户:密码@主机:端口/数据库'),
    ])
    .default(''),
  PG_POOL_MAX: int(10, 1),
  PG_IDLE_TIMEOUT_MS: int(30000, 100),
  PG_CONNECT_TIMEOUT_MS: int(5000, 100),
  PG_STATEMENT_TIMEOUT_MS: int(15000, 0),
  LOG_STORE_BATCH_MS: int(0),
  WORKERS: int(0),
  REDIS_URL: z.union([z.literal(''), z.string().regex(/^rediss?:\/\/\S+$/)]).default(''),
  REDIS_PREFIX: str('wenzheng:'),
  ANSWER_CACHE_TTL_SECONDS: int(3600, 1),
  INDEX_POLL_MS: int(5000, 100),
});

type Raw = z.infer<typeof configSchema>;

export interface Config extends Omit<
  Raw,
  'CORPUS_DIR' | 'INDEX_DIR' | 'DATA_DIR' | 'LEXICON_FILE' | 'SUGGESTIONS_FILE'
> {
  /** Absolute paths, resolved against the project root. */
  CORPUS_DIR: string;
  INDEX_DIR: string;
  DATA_DIR: string;
  LEXICON_FILE: string;
  SUGGESTIONS_FILE: string;
  ROOT_DIR: string;
}

/** The folder holding package.json above this module: the checkout, whether run from src/ (tsx) or dist/src/ (compiled). */
export const PROJECT_ROOT = findRoot(path.dirname(new URL(import.meta.url).pathname));

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export interface LoadConfigOptions {
  /** Defaults to process.env (plus .env in the project root when present). */
  env?: Record<string, string | undefined>;
  root?: string;
}

/** Reads .env into process.env once, without overriding variables already set. */
function loadDotEnv(root: string): void {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Settings one provider needs: each missing one is a problem of its own. */
const PROVIDER_NEEDS: Record<string, Record<string, string[]>> = {
  LLM_PROVIDER: { openai: ['LLM_MODEL', 'LLM_BASE_URL'], ollama: ['LLM_MODEL'] },
  EMBEDDINGS_PROVIDER: {
    openai: ['EMBEDDINGS_MODEL', 'EMBEDDINGS_BASE_URL'],
    ollama: ['EMBEDDINGS_MODEL'],
  },
};
const URL_KEYS = ['LLM_BASE_URL', 'EMBEDDINGS_BASE_URL'];

/**
 * Checks the settings that depend on a provider, so that LLM_PROVIDER=openai without a model
 * fails at start-up with the others, not on the first question after the server listens.
 */
function providerProblems(input: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, needs] of Object.entries(PROVIDER_NEEDS)) {
    const provider = input[key];
    for (const needed of (provider && needs[provider]) || []) {
      if (!input[needed]) problems.push(`${needed}: ${key}=${provider} 时必须设置`);
    }
  }
  for (const key of URL_KEYS) {
    const value = input[key];
    if (value && !/^https?:\/\/[^/\s]+/.test(value))
      problems.push(`${key}: 应为 http:// 或 https:// 开头的地址`);
  }
  return problems;
}

/** Reads, checks and freezes the settings; every problem is listed in one CONFIG_INVALID error. */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<Config> {
  const root = options.root ?? PROJECT_ROOT;
  if (!options.env) loadDotEnv(root);
  const env = options.env ?? process.env;
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...providerProblems(input),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new AppError('CONFIG_INVALID', {
      message: `配置有误（${problems.length} 项）：\n${problems.join('\n')}`,
      detail: problems.join('; '),
    });
  }
  const raw = parsed.data;
  const abs = (p: string) => (p === '' ? '' : path.resolve(root, p));
  return Object.freeze({
    ...raw,
    CORPUS_DIR: abs(raw.CORPUS_DIR),
    INDEX_DIR: abs(raw.INDEX_DIR),
    DATA_DIR: abs(raw.DATA_DIR),
    LEXICON_FILE: abs(raw.LEXICON_FILE),
    SUGGESTIONS_FILE: abs(raw.SUGGESTIONS_FILE),
    ROOT_DIR: root,
  });
}
