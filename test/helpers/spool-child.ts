/**
 * A process that accepts questions into the question log and is then killed before its
 * batch is written (test/log-spool.test.ts): env DATA_DIR (and DATABASE_URL), argv[2] the
 * number of rows. Prints `recorded <ids…>` once every row was accepted, then waits.
 */
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { openStorage } from '../../src/store/storage.js';

const count = Number(process.argv[2] ?? 10);
const storage = await openStorage({ config: loadConfig({ root: PROJECT_ROOT }) });
// Nothing is written before the kill: the batch waits ten minutes.
const log = storage.createLog({ batchMs: 600_000, batchSize: 1_000_000 });
await log.gaps(); // the store's first (empty) write is done: nothing below is written before the kill
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const messageId = `killed-${process.pid}-${i}`;
  ids.push(messageId);
  log.recordQuestion({
    messageId,
    at: Date.now(),
    sessionId: null,
    transport: 'http',
    question: `被中断的问题${i}`,
    found: i % 2 === 0,
    citedChunkIds: ['c1'],
    latencyMs: 5,
    mode: 'extractive',
  });
}
process.stdout.write(`recorded ${ids.join(' ')}\n`);
setInterval(() => {}, 60_000);
