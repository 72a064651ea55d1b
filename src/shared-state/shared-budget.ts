/**
 * The question budget counted in Redis, so that RATE_LIMIT_PER_MINUTE is one budget per
 * client across every replica and worker, however it asks (HTTP, SSE, WebSocket). The same
 * model as the in-process budget and express-rate-limit's stores: a fixed one-minute
 * window per key, started by the key's first question (INCR, then PEXPIRE on the first).
 * One script call decides both the IP and the session budget in one round trip. While
 * Redis is unreachable (or slower than `timeoutMs`), the per-process budget decides.
 */
import {
  createQuestionBudget,
  ipKey,
  type BudgetDecision,
  type QuestionBudget,
} from '../server/limits.js';
import type { RedisLink } from './redis-link.js';

/**
 * KEYS: ip key, session key (or ''); ARGV: window ms, per-IP limit, per-session limit.
 * Returns {ip count, ip ms left, session count, session ms left}; the session is not
 * counted when the IP is over its limit.
 */
const TAKE = `
local function hit(key, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, window); ttl = window end
  return n, ttl
end
local window = tonumber(ARGV[1])
local ipLimit = tonumber(ARGV[2])
local sLimit = tonumber(ARGV[3])
local ipCount, ipTtl = 0, 0
if ipLimit > 0 then ipCount, ipTtl = hit(KEYS[1], window) end
if (ipLimit > 0 and ipCount > ipLimit) or KEYS[2] == '' or sLimit == 0 then
  return {ipCount, ipTtl, 0, 0}
end
local sCount, sTtl = hit(KEYS[2], window)
return {ipCount, ipTtl, sCount, sTtl}
`;

export interface SharedBudgetOptions {
  link: RedisLink;
  perIpPerMinute: number;
  perSessionPerMinute: number;
  /** A Redis answer slower than this falls back to the per-process budget. @default 2000 */
  timeoutMs?: number;
  /** Used while Redis is down. @default createQuestionBudget(same limits) */
  fallback?: QuestionBudget;
}

const WINDOW_MS = 60_000;

const decision = (count: number, limit: number, ttlMs: number): BudgetDecision => ({
  ok: count <= limit,
  limit,
  remaining: Math.max(0, limit - count),
  resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
});

/** The budget every replica draws from. Never rejects. */
export function createSharedBudget(options: SharedBudgetOptions): QuestionBudget {
  const { link, perIpPerMinute, perSessionPerMinute } = options;
  const timeoutMs = options.timeoutMs ?? 2000;
  const fallback =
    options.fallback ?? createQuestionBudget({ perIpPerMinute, perSessionPerMinute });
  const off: BudgetDecision = { ok: true, limit: 0, remaining: 0, resetSeconds: 0 };

  async function shared(ip: string, session?: string): Promise<BudgetDecision> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const call = link.client
      .eval(TAKE, {
        keys: [
          link.key(`rl:ip:${ipKey(ip)}`),
          session === undefined ? '' : link.key(`rl:session:${session}`),
        ],
        arguments: [String(WINDOW_MS), String(perIpPerMinute), String(perSessionPerMinute)],
      })
      .then((reply) => reply as number[])
      .catch(() => null);
    const reply = await Promise.race([call, timeout]);
    clearTimeout(timer);
    if (!reply) return fallback.take(ip, session);
    const [ipCount = 0, ipTtl = 0, sCount = 0, sTtl = 0] = reply.map(Number);
    const byIp = perIpPerMinute > 0 ? decision(ipCount, perIpPerMinute, ipTtl) : off;
    if (!byIp.ok || session === undefined || perSessionPerMinute === 0) return byIp;
    const bySession = decision(sCount, perSessionPerMinute, sTtl);
    if (!bySession.ok) return bySession;
    return byIp.limit > 0 ? byIp : bySession;
  }

  return {
    perIpPerMinute,
    take(ip, session) {
      if (perIpPerMinute === 0 && (perSessionPerMinute === 0 || session === undefined)) return off;
      if (!link.up) return fallback.take(ip, session);
      return shared(ip, session);
    },
  };
}
