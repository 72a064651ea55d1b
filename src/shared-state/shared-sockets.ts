/**
 * WebSocket slots per client address counted across replicas (WS_MAX_PER_IP for the whole
 * deployment). Each address has one Redis hash: replica id → sockets that replica holds.
 * A replica's entries count only while its heartbeat key lives, so the sockets of a
 * replica killed with kill -9 stop counting when its heartbeat expires. While Redis is
 * unreachable the per-process count decides; releases that could not reach Redis are
 * replayed when it is back.
 *
 * The HTTP connection cap (HTTP_MAX_CONNECTIONS_PER_IP) stays per process: it guards this
 * process's file descriptors.
 */
import { localSocketSlots, type SocketSlots } from '../server/limits.js';
import type { RedisLink } from './redis-link.js';

/** KEYS: the address's hash; ARGV: replica id, max, heartbeat key prefix. 1 = taken. */
const ACQUIRE = `
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  local rid = fields[i]
  if rid == ARGV[1] or redis.call('EXISTS', ARGV[3] .. rid) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], rid)
  end
end
local max = tonumber(ARGV[2])
if max > 0 and total >= max then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[1], 86400000)
return 1
`;

/** KEYS: the address's hash; ARGV: replica id. */
const RELEASE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n
`;

export interface SharedSocketsOptions {
  link: RedisLink;
  replicaId: string;
  /** Sockets per address for the deployment; 0 = no limit. */
  max: number;
  /** The prefix (after the link's) of the replicas' heartbeat keys. @default 'replica:' */
  heartbeatPrefix?: string;
  /** @default 2000 */
  timeoutMs?: number;
}

/** Socket slots shared by every replica. */
export function createSharedSockets(options: SharedSocketsOptions): SocketSlots {
  const { link, replicaId, max } = options;
  const timeoutMs = options.timeoutMs ?? 2000;
  const local = localSocketSlots(max);
  const heartbeat = link.key(options.heartbeatPrefix ?? 'replica:');
  const unreleased: string[] = [];

  const run = async (script: string, key: string, args: string[]): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const call = link.client
      .eval(script, { keys: [key], arguments: args })
      .then(Number)
      .catch(() => null);
    const reply = await Promise.race([call, timeout]);
    clearTimeout(timer);
    return reply;
  };

  const release = (key: string) => {
    void run(RELEASE, key, [replicaId]).then((n) => {
      if (n === null) unreleased.push(key);
    });
  };
  link.onReconnect(() => {
    for (const key of unreleased.splice(0)) release(key);
  });

  return (ip) => {
    if (max === 0) return () => {};
    if (!link.up) return local(ip);
    const key = link.key(`ws:${ip}`);
    return run(ACQUIRE, key, [replicaId, String(max), heartbeat]).then((taken) => {
      if (taken === null) return local(ip);
      if (taken === 0) return null;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release(key);
      };
    });
  };
}
