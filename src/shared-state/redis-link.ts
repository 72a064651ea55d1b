/**
 * The connection to the deployment's Redis (node-redis v5): one client for commands and
 * one for subscriptions, every key and channel under one prefix. Redis is an option, never
 * a requirement: while it is unreachable `up` is false, every user of it falls back to
 * per-process state, /readyz reports the link degraded (in Chinese, for the operator),
 * and the client keeps reconnecting with a capped backoff.
 */
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisLinkStatus {
  status: 'ok' | 'degraded';
  /** For the operator, in Chinese, while degraded. */
  message?: string;
}

export interface RedisLink {
  /** The command client (check `up` first; commands fail fast while it is down). */
  client: RedisClient;
  /** Prefixes a key or channel name. */
  key(name: string): string;
  /** True while connected. */
  readonly up: boolean;
  status(): RedisLinkStatus;
  /** Subscribes to a channel (resubscribed after every reconnect). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Called after each (re)connection, e.g. to catch up on what was missed. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export interface RedisLinkOptions {
  url: string;
  prefix: string;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Longest wait between reconnection attempts. @default 5000 */
  maxBackoffMs?: number;
}

/** Opens the link; resolves at once (connecting goes on in the background). */
export function openRedisLink(options: RedisLinkOptions): RedisLink {
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const reconnectStrategy = (retries: number) => Math.min(maxBackoff, 100 * 2 ** retries);
  const client: RedisClient = createClient({
    url: options.url,
    // Commands while disconnected fail at once instead of queueing: callers fall back.
    disableOfflineQueue: true,
    socket: { reconnectStrategy, connectTimeout: 2000 },
  });
  const subscriber = client.duplicate();
  let up = false;
  let lastError = '';
  let downSince: number | null = Date.now();
  const reconnectListeners: Array<() => void> = [];

  client.on('ready', () => {
    up = true;
    if (downSince !== null)
      options.logger.info(
        { downMs: Date.now() - downSince },
        'redis connected: limits, answer cache and announcements are shared',
      );
    downSince = null;
    for (const l of reconnectListeners) l();
  });
  client.on('error', (error: Error) => {
    lastError = error.message;
    if (up || downSince === null) {
      options.logger.warn(
        { err: error },
        'redis unreachable: per-process limits and cache until it is back',
      );
      downSince = Date.now();
    }
    up = false;
  });
  client.on('end', () => {
    up = false;
  });
  subscriber.on('error', () => {
    // the command client reports the outage; the subscriber reconnects on its own
  });
  // Channels are subscribed once the subscriber is connected; node-redis then restores
  // them itself after every reconnect.
  const channels = new Map<string, { listener: (m: string) => void; done: boolean }>();
  const subscribeAll = () => {
    for (const [channel, entry] of channels) {
      if (entry.done) continue;
      entry.done = true;
      subscriber.subscribe(channel, entry.listener).catch(() => {
        entry.done = false;
      });
    }
  };
  subscriber.on('ready', subscribeAll);
  const closing = { value: false };
  void client.connect().catch(() => {});
  void subscriber.connect().catch(() => {});

  return {
    client,
    key: (name) => `${options.prefix}${name}`,
    get up() {
      return up;
    },
    status() {
      if (up) return { status: 'ok' };
      return {
        status: 'degraded',
        message:
          `无法连接 Redis（${lastError || '正在连接'}）：各副本的提问限额、连接数上限和答案缓存暂按单个进程计算，` +
          '索引和设置的变更通知暂停（各副本会定期检查新索引）。请检查 REDIS_URL 和 Redis 服务；连接恢复后自动切回共享状态。',
      };
    },
    async subscribe(channel, listener) {
      channels.set(`${options.prefix}${channel}`, { listener, done: false });
      if (subscriber.isReady) subscribeAll();
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async close() {
      if (closing.value) return;
      closing.value = true;
      await Promise.allSettled([client.close(), subscriber.close()]);
    },
  };
}
