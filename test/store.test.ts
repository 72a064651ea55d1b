/**
 * One suite for the storage behind the console and the question log, run on SQLite (a
 * temporary DATA_DIR) and on the machine's PostgreSQL (a database of its own, with a
 * random name, dropped afterwards). Both must behave the same way to their callers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROWS_PAGE } from '../src/admin/log-reader.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import type { LogStore, QuestionRecord } from '../src/server/log-store.js';
import { openStorage, type Storage } from '../src/store/storage.js';
import { createTestDatabase, hasPostgres, NO_POSTGRES, type TestDatabase } from './helpers/pg.js';

interface Backend {
  name: string;
  skip: string | null;
  /** Opens the storage (again, over the same data, after a close). */
  open(): Promise<Storage>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-store-'));
  return {
    name: 'SQLite',
    skip: null,
    open: () => openStorage({ config: loadConfig({ root: PROJECT_ROOT, env: { DATA_DIR: dir } }) }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(): Backend {
  let db: TestDatabase | null = null;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wz-store-pg-'));
  return {
    name: 'PostgreSQL',
    skip: hasPostgres ? null : NO_POSTGRES,
    async open() {
      db ??= await createTestDatabase();
      return openStorage({
        config: loadConfig({
          root: PROJECT_ROOT,
          env: { DATABASE_URL: db.url, DATA_DIR: dataDir, PG_POOL_MAX: '4' },
        }),
      });
    },
    cleanup: async () => {
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let n = 0;
function question(over: Partial<QuestionRecord> = {}): QuestionRecord {
  n += 1;
  return {
    messageId: `m${n}`,
    at: Date.UTC(2025, 2, 1, 8, 0, n % 60),
    sessionId: 's1',
    transport: 'http',
    question: '2021年行政复议案件有多少件？',
    found: true,
    citedChunkIds: ['c1', 'c2'],
    latencyMs: 12.4,
    mode: 'extractive',
    ...over,
  };
}

const range = { from: '2025-03-01T00:00:00.000Z', to: '2025-03-03T00:00:00.000Z' };

for (const backend of [sqliteBackend(), postgresBackend()]) {
  describe.skipIf(backend.skip !== null)(
    `storage on ${backend.name}${backend.skip ? ` (${backend.skip})` : ''}`,
    () => {
      let storage: Storage;
      let log: LogStore;
      beforeAll(async () => {
        storage = await backend.open();
        log = storage.createLog({ batchMs: 0 });
      });
      afterAll(async () => {
        await log?.close();
        await storage?.close();
        await backend.cleanup();
      });

      it('keeps users, counts failed sign-ins, locks and unlocks', async () => {
        const { users } = storage.stores;
        await users.add('zhang', 'editor', 'scrypt$hash1');
        await users.add('li', 'viewer', 'scrypt$hash2');
        expect((await users.list()).map((u) => [u.name, u.role])).toEqual([
          ['li', 'viewer'],
          ['zhang', 'editor'],
        ]);
        expect(await users.recordFailure('zhang')).toBe(1);
        expect(await users.recordFailure('zhang')).toBe(2);
        expect(await users.recordFailure('nobody')).toBe(0);
        await users.lock('zhang', 1_900_000_000_000);
        expect(await users.get('zhang')).toMatchObject({
          failedAttempts: 0,
          lockedUntil: 1_900_000_000_000,
          passwordHash: 'scrypt$hash1',
        });
        await users.recordFailure('zhang');
        await users.clearFailures('zhang');
        expect(await users.get('zhang')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
        expect(await users.setPassword('zhang', 'scrypt$hash3')).toBe(true);
        expect(await users.setPassword('nobody', 'x')).toBe(false);
        expect((await users.get('zhang'))?.passwordHash).toBe('scrypt$hash3');
        expect(Date.parse((await users.get('zhang'))!.createdAt)).not.toBeNaN();
        expect(await users.remove('li')).toBe(true);
        expect(await users.remove('li')).toBe(false);
        expect(await users.get('li')).toBeNull();
      });

      it('keeps sessions until they are deleted or expire', async () => {
        const { sessions } = storage.stores;
        await sessions.create({ idHash: 'h1', user: 'zhang', csrfToken: 't1', expiresAt: 1000 });
        await sessions.create({ idHash: 'h2', user: 'zhang', csrfToken: 't2', expiresAt: 5000 });
        await sessions.create({ idHash: 'h3', user: 'wang', csrfToken: 't3', expiresAt: 5000 });
        expect(await sessions.get('h2')).toEqual({
          idHash: 'h2',
          user: 'zhang',
          csrfToken: 't2',
          expiresAt: 5000,
        });
        await sessions.purgeExpired(2000);
        expect(await sessions.get('h1')).toBeNull();
        await sessions.deleteForUser('zhang');
        expect(await sessions.get('h2')).toBeNull();
        expect(await sessions.get('h3')).not.toBeNull();
        await sessions.delete('h3');
        expect(await sessions.get('h3')).toBeNull();
      });

      it('lists the audit log newest first', async () => {
        for (const action of ['a.one', 'a.two', 'a.three'])
          await storage.stores.audit.record({
            actor: 'zhang',
            action,
            target: 't',
            detail: '详情',
          });
        const entries = await storage.stores.audit.list(2);
        expect(entries.map((e) => e.action)).toEqual(['a.three', 'a.two']);
        expect(entries[0]).toMatchObject({ actor: 'zhang', target: 't', detail: '详情' });
        expect(Date.parse(entries[0]!.at)).not.toBeNaN();
      });

      it('versions curated answers and keeps a withdrawn one in its history', async () => {
        const { curated } = storage.stores;
        const draft = {
          question: '行政复议案件有多少件',
          paraphrases: ['复议案件数量'],
          answer: '3125件。',
          chunkIds: ['c1'],
        };
        const first = await curated.save(draft, 'zhang');
        expect(first).toMatchObject({ ...draft, version: 1, author: 'zhang' });
        const second = await curated.save({ ...draft, answer: '共3125件。' }, 'li', first.id);
        expect(second.version).toBe(2);
        const other = await curated.save({ ...draft, question: '公共法律服务站点' }, 'zhang');
        expect((await curated.list()).map((c) => [c.id, c.version, c.answer])).toEqual(
          expect.arrayContaining([
            [first.id, 2, '共3125件。'],
            [other.id, 1, '3125件。'],
          ]),
        );
        expect(await curated.remove(first.id, 'wang')).toBe(true);
        expect(await curated.remove('no-such-id', 'wang')).toBe(false);
        expect((await curated.list()).map((c) => c.id)).toEqual([other.id]);
        const history = await curated.history(first.id);
        expect(history.map((c) => [c.version, c.author])).toEqual([
          [3, 'wang'],
          [2, 'li'],
          [1, 'zhang'],
        ]);
        expect(history[2]).toMatchObject({ paraphrases: ['复议案件数量'], chunkIds: ['c1'] });
      });

      it('numbers concurrent saves of one curated answer without a gap or a clash', async () => {
        const { curated } = storage.stores;
        const base = await curated.save(
          { question: '并发', paraphrases: [], answer: '答', chunkIds: ['c1'] },
          'zhang',
        );
        await Promise.all(
          [1, 2, 3, 4, 5].map((i) =>
            curated.save(
              { question: '并发', paraphrases: [], answer: `答${i}`, chunkIds: ['c1'] },
              `editor${i}`,
              base.id,
            ),
          ),
        );
        expect((await curated.history(base.id)).map((c) => c.version)).toEqual([6, 5, 4, 3, 2, 1]);
      });

      it('adds and removes synonyms', async () => {
        const { synonyms } = storage.stores;
        const added = await synonyms.add({ official: ['行政复议'], everyday: ['告政府'] }, 'zhang');
        expect(added).toMatchObject({
          official: ['行政复议'],
          everyday: ['告政府'],
          author: 'zhang',
        });
        expect(await synonyms.list()).toEqual([added]);
        expect(await synonyms.remove(added.id)).toBe(true);
        expect(await synonyms.remove(added.id)).toBe(false);
        expect(await synonyms.list()).toEqual([]);
      });

      it('merges settings and keeps their JSON types', async () => {
        const { settings } = storage.stores;
        expect(await settings.get()).toEqual({});
        await settings.set({ greeting: '您好', suggestions: ['一', '二'], retentionDays: 30 });
        await settings.set({ retentionDays: 60, handoff: { phone: '12345', hours: '', url: '' } });
        expect(await settings.get()).toEqual({
          greeting: '您好',
          suggestions: ['一', '二'],
          retentionDays: 60,
          handoff: { phone: '12345', hours: '', url: '' },
        });
      });

      it('sets and clears gap verdicts by question key', async () => {
        const { verdicts } = storage.stores;
        await verdicts.set(['k1', 'k2'], 'not-in-reports', 'zhang');
        await verdicts.set(['k2'], 'should-answer', 'li');
        const all = await verdicts.all();
        expect(all.get('k1')).toMatchObject({ verdict: 'not-in-reports', by: 'zhang' });
        expect(all.get('k2')).toMatchObject({ verdict: 'should-answer', by: 'li' });
        await verdicts.set(['k1', 'k2'], null, 'zhang');
        expect((await verdicts.all()).size).toBe(0);
      });

      it('logs questions and ratings, masks personal data and groups gaps', async () => {
        log.recordQuestion(question({ messageId: 'q-hit' }));
        log.recordQuestion(
          question({
            messageId: 'q-pii',
            question: '身份证110105199001011232怎么补办',
            found: false,
          }),
        );
        log.recordQuestion(
          question({ messageId: 'q-gap1', question: '公积金怎么提取', found: false }),
        );
        log.recordQuestion(
          question({ messageId: 'q-gap2', question: '公积金 怎么提取？', found: false }),
        );
        expect(await log.recordFeedback('q-hit', 'down', '请打13812345678')).toBe(true);
        expect(await log.recordFeedback('unknown', 'up')).toBe(false);
        expect(await log.get('q-hit')).toMatchObject({
          messageId: 'q-hit',
          found: true,
          citedChunkIds: ['c1', 'c2'],
          latencyMs: 12,
          rating: 'down',
          comment: '请打[电话]',
          transport: 'http',
          sessionId: 's1',
        });
        expect((await log.get('q-pii'))?.question).toBe('身份证[身份证号]怎么补办');
        const gaps = await log.gaps();
        expect(gaps[0]).toMatchObject({ question: '公积金 怎么提取？', count: 2 });
        expect(gaps.map((g) => g.question)).toContain('身份证[身份证号]怎么补办');
        expect(log.status()).toMatchObject({ status: 'ok', pending: 0, dropped: 0 });
      });

      it('reads tallies, feedback, daily figures and cited passages over the log', async () => {
        const { reader } = storage;
        const gaps = await reader.tallies(range, true);
        expect(gaps.find((t) => t.question === '公积金 怎么提取？')).toMatchObject({
          count: 2,
          downVotes: 0,
          chunkIds: ['c1', 'c2'],
        });
        // A down-voted answer is a gap too.
        expect(gaps.find((t) => t.key === '2021年行政复议案件有多少件')).toMatchObject({
          count: 1,
          downVotes: 1,
        });
        const all = await reader.tallies(range, false);
        expect(all.reduce((s, t) => s + t.count, 0)).toBe(4);
        expect(Date.parse(all[0]!.firstAt)).not.toBeNaN();
        const feedback = await reader.feedback(10);
        expect(feedback).toEqual([
          expect.objectContaining({
            messageId: 'q-hit',
            rating: 'down',
            comment: '请打[电话]',
            found: true,
            citedChunkIds: ['c1', 'c2'],
          }),
        ]);
        expect(await reader.feedback(10, 'up')).toEqual([]);
        expect(await reader.days(range)).toEqual([
          { day: '2025-03-01', questions: 4, answered: 1, up: 0, down: 1 },
        ]);
        expect(Object.fromEntries(await reader.citedCounts(range))).toEqual({ c1: 1, c2: 1 });
      });

      it('exports every row of a range in order, across pages, and purges old ones', async () => {
        const many = ROWS_PAGE + 7;
        const at = Date.UTC(2025, 2, 2, 9, 0, 0);
        // Many rows share a timestamp: the pages must neither skip nor repeat one.
        for (let i = 0; i < many; i++)
          log.recordQuestion(
            question({
              messageId: `bulk-${String(i).padStart(5, '0')}`,
              at: at + Math.floor(i / 100),
            }),
          );
        expect(await log.get(`bulk-${String(many - 1).padStart(5, '0')}`)).not.toBeNull();
        const seen: string[] = [];
        for await (const row of storage.reader.rows({
          from: new Date(at).toISOString(),
          to: range.to,
        }))
          seen.push(row.at + row.question);
        expect(seen).toHaveLength(many);
        expect([...seen].sort()).toEqual(seen);
        const rows: unknown[] = [];
        for await (const row of storage.reader.rows(range)) rows.push(row);
        expect(rows).toHaveLength(many + 4);
        expect(rows[0]).toMatchObject({ found: true, rating: 'down', citedChunkIds: ['c1', 'c2'] });
        expect(await storage.reader.purgeBefore('2025-03-02T00:00:00.000Z')).toBe(4);
        expect(await log.get('q-hit')).toBeNull();
        expect(await storage.reader.purgeBefore('2025-03-02T00:00:00.000Z')).toBe(0);
      });

      it('keeps jobs, and marks those a stopped process left unfinished as failed on reopen', async () => {
        const job = (jobId: string, state: 'queued' | 'running' | 'done', createdAt: string) => ({
          jobId,
          kind: 'reindex' as const,
          state,
          actor: 'zhang',
          createdAt,
          progress: {
            phase: state,
            files: 1,
            filesTotal: 2,
            passages: 0,
            embedded: 0,
            embedTotal: 0,
          },
          failures: [{ docId: 'a.txt', reason: '无法读取' }],
        });
        await storage.stores.jobs.save(job('j1', 'done', '2025-03-01T00:00:01.000Z'));
        await storage.stores.jobs.save(job('j2', 'running', '2025-03-01T00:00:02.000Z'));
        await storage.stores.jobs.save(job('j3', 'queued', '2025-03-01T00:00:03.000Z'));
        expect((await storage.stores.jobs.list(2)).map((j) => j.jobId)).toEqual(['j3', 'j2']);
        expect(await storage.stores.jobs.get('j1')).toEqual(
          job('j1', 'done', '2025-03-01T00:00:01.000Z'),
        );
        expect(await storage.stores.jobs.get('nope')).toBeNull();

        await log.close();
        await storage.close();
        storage = await backend.open();
        log = storage.createLog({ batchMs: 0 });
        expect((await storage.stores.jobs.get('j1'))?.state).toBe('done');
        for (const id of ['j2', 'j3'])
          expect(await storage.stores.jobs.get(id)).toMatchObject({
            state: 'failed',
            error: '服务重启，任务中断，请重新提交。',
          });
        // Everything else survived the reopen too.
        expect(await storage.stores.users.get('zhang')).not.toBeNull();
        expect(await log.get('bulk-00000')).not.toBeNull();
      });
    },
  );
}
