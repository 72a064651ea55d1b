/**
 * What one serving process shares with the others of its deployment, composed from the
 * config: with REDIS_URL the question budget, WebSocket slots, answer cache and change
 * announcements go through Redis; without it they are per process (announcements between
 * the workers of one machine go through the cluster primary). The ingest lock and the
 * record of the index version this replica serves always exist (INDEX_DIR is the shared
 * volume); the Redis heartbeat key makes this replica's WebSocket slots count.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { SharedAnswers } from '../server/answer-cache.js';
import {
  createQuestionBudget,
  localSocketSlots,
  type QuestionBudget,
  type SocketSlots,
} from '../server/limits.js';
import { createAnnouncer, type Announcer } from './announcer.js';
import { registerReplica, unregisterReplica } from './index-versions.js';
import { createIngestLock, type IngestLock } from './ingest-lock.js';
import { openRedisLink, type RedisLink, type RedisLinkStatus } from './redis-link.js';
import { createSharedAnswers } from './shared-answers.js';
import { createSharedBudget } from './shared-budget.js';
import { createSharedSockets } from './shared-sockets.js';

/** How often this replica says it is alive (and which version it serves). */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TTL_MS = 30_000;

export interface ReplicaState {
  replicaId: string;
  /** True when the state is shared (Redis, or several workers on one machine). */
  shared: boolean;
  budget: QuestionBudget;
  socketSlots: SocketSlots;
  /** The shared answer cache (Redis only). */
  answers?: SharedAnswers;
  announcer: Announcer;
  lock: IngestLock;
  /** The Redis link's state for /readyz; null without REDIS_URL. */
  status(): RedisLinkStatus | null;
  /** Records the index version this replica now serves. */
  serving(version: string): Promise<void>;
  /** Called when Redis is reachable again (to catch up on missed announcements). */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export interface ReplicaStateOptions {
  config: Readonly<Config>;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Builds the replica's shared state and starts its heartbeat. */
export function createReplicaState(options: ReplicaStateOptions): ReplicaState {
  const { config, logger } = options;
  const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const link: RedisLink | null = config.REDIS_URL
    ? openRedisLink({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger })
    : null;
  const limits = {
    perIpPerMinute: config.RATE_LIMIT_PER_MINUTE,
    perSessionPerMinute: config.SESSION_RATE_LIMIT_PER_MINUTE,
  };
  let version: string | null = null;

  const beat = async () => {
    if (link?.up)
      void link.client
        .set(link.key(`replica:${replicaId}`), version ?? '', {
          expiration: { type: 'PX', value: HEARTBEAT_TTL_MS },
        })
        .catch(() => {});
    if (version) await registerReplica(config.INDEX_DIR, { replicaId, version }).catch(() => {});
  };
  link?.onReconnect(() => void beat());
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  timer.unref();

  return {
    replicaId,
    shared: link !== null || cluster.isWorker,
    budget: link ? createSharedBudget({ link, ...limits }) : createQuestionBudget(limits),
    socketSlots: link
      ? createSharedSockets({ link, replicaId, max: config.WS_MAX_PER_IP })
      : localSocketSlots(config.WS_MAX_PER_IP),
    ...(link
      ? { answers: createSharedAnswers({ link, ttlSeconds: config.ANSWER_CACHE_TTL_SECONDS }) }
      : {}),
    announcer: createAnnouncer(link, replicaId),
    lock: createIngestLock({ indexDir: config.INDEX_DIR, link }),
    status: () => link?.status() ?? null,
    serving(next) {
      version = next;
      return beat();
    },
    onReconnect(listener) {
      link?.onReconnect(listener);
    },
    async close() {
      clearInterval(timer);
      await unregisterReplica(config.INDEX_DIR, replicaId).catch(() => {});
      if (link?.up) await link.client.del(link.key(`replica:${replicaId}`)).catch(() => {});
      await link?.close();
    },
  };
}
