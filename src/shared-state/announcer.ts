/**
 * Changes announced to every replica: a new index version, and the console's settings,
 * synonyms and curated answers. With REDIS_URL by pub/sub (every replica and worker
 * subscribes); without it, between the workers of one machine through the cluster
 * primary (src/cluster/workers.ts relays); a single process has no one to tell.
 * An announcement is a hint: a replica that missed one (Redis down, a restart) catches up
 * by its periodic look at INDEX_DIR/current and, for the console, on reconnection.
 */
import cluster from 'node:cluster';
import type { RedisLink } from './redis-link.js';

export type Announcement =
  | { kind: 'index'; version: string }
  | { kind: 'console'; what: 'settings' | 'synonyms' | 'curated' | 'all' };

export interface Announcer {
  /** Tells the other replicas (never this one). */
  announce(announcement: Announcement): void;
  /** Called with what other replicas announce. */
  onAnnouncement(listener: (announcement: Announcement) => void): void;
}

/** The message a worker sends to the primary, and the primary relays to the other workers. */
export interface ClusterAnnouncement {
  wenzheng: 'announce';
  from: string;
  announcement: Announcement;
}

export const isClusterAnnouncement = (m: unknown): m is ClusterAnnouncement =>
  typeof m === 'object' && m !== null && (m as ClusterAnnouncement).wenzheng === 'announce';

const CHANNEL = 'changes';

function parse(text: string): { from: string; announcement: Announcement } | null {
  try {
    const m = JSON.parse(text) as { from?: unknown; announcement?: Announcement };
    if (typeof m.from !== 'string' || !m.announcement) return null;
    if (m.announcement.kind !== 'index' && m.announcement.kind !== 'console') return null;
    return { from: m.from, announcement: m.announcement };
  } catch {
    return null;
  }
}

/** Pub/sub over the deployment's Redis. */
export function redisAnnouncer(link: RedisLink, replicaId: string): Announcer {
  const listeners: Array<(a: Announcement) => void> = [];
  void link.subscribe(CHANNEL, (text) => {
    const m = parse(text);
    if (!m || m.from === replicaId) return;
    for (const l of listeners) l(m.announcement);
  });
  return {
    announce(announcement) {
      if (!link.up) return;
      void link.client
        .publish(link.key(CHANNEL), JSON.stringify({ from: replicaId, announcement }))
        .catch(() => {});
    },
    onAnnouncement: (l) => void listeners.push(l),
  };
}

/** Between the workers of this machine, relayed by the cluster primary. */
export function clusterAnnouncer(replicaId: string): Announcer {
  const listeners: Array<(a: Announcement) => void> = [];
  process.on('message', (m: unknown) => {
    if (!isClusterAnnouncement(m) || m.from === replicaId) return;
    for (const l of listeners) l(m.announcement);
  });
  return {
    announce(announcement) {
      const message: ClusterAnnouncement = { wenzheng: 'announce', from: replicaId, announcement };
      if (process.connected) process.send?.(message);
    },
    onAnnouncement: (l) => void listeners.push(l),
  };
}

/** A single process: nothing to announce. */
export const noAnnouncer: Announcer = { announce() {}, onAnnouncement() {} };

/** Redis when configured, the cluster primary in a worker, else nobody. */
export function createAnnouncer(link: RedisLink | null, replicaId: string): Announcer {
  if (link) return redisAnnouncer(link, replicaId);
  if (cluster.isWorker) return clusterAnnouncer(replicaId);
  return noAnnouncer;
}
