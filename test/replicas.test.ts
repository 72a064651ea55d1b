/**
 * Two replicas of the real server (two processes, two ports) sharing INDEX_DIR, CORPUS_DIR,
 * the SQLite question log and the machine's Redis: one question budget for both, one
 * ingest at a time, a report uploaded through one answered by the other, and kill -9 of
 * one under load losing no logged answer. Skips, saying so, without Redis on 127.0.0.1:6379.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentVersion } from '../src/shared-state/index-versions.js';
import { KNOWN } from './helpers/real-engine.js';
import {
  ask,
  createDeployment,
  redisAvailable,
  startReplica,
  type Deployment,
  type Replica,
} from './helpers/replica-process.js';

const hasRedis = await redisAvailable();
if (!hasRedis) console.warn('replicas.test.ts skipped: needs Redis on 127.0.0.1:6379');

const TOKEN = 'replica-test-token';
const REPORT = [
  '2025年青山市人民政府工作报告',
  '一、2024年工作回顾',
  '过去一年，青山市新建城市书房128座，全年接待读者56.3万人次。',
  '全市新增公园绿地420公顷，建成口袋公园35个。',
].join('\n\n');
const ONLY_THE_UPLOAD = '青山市新建了多少座城市书房？';

let deployment: Deployment;
let a: Replica;
let b: Replica;
let nextIp = 0;
/** A client address of its own (documentation range), so each test has a fresh budget. */
const freshIp = () => `198.51.${Math.floor(++nextIp / 250)}.${nextIp % 250}`;

describe.skipIf(!hasRedis)('two replicas sharing Redis, INDEX_DIR and the log', () => {
  beforeAll(async () => {
    deployment = createDeployment({ RATE_LIMIT_PER_MINUTE: '10', ADMIN_TOKEN: TOKEN });
    // Started together on an empty INDEX_DIR: the ingest lock lets one of them build.
    [a, b] = await Promise.all([startReplica(deployment), startReplica(deployment)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await deployment?.cleanup();
  });

  it('builds the first index once for both', async () => {
    const finished = () =>
      [...a.lines, ...b.lines].filter((l) => String(l['msg']).startsWith('job done'));
    // /readyz turns 200 just before the start-up job's last log line.
    for (let i = 0; i < 100 && finished().length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    const done = finished();
    expect(done.map((l) => l['msg']).sort()).toEqual([
      'job done: index unchanged',
      'job done: new index serving',
    ]);
  });

  it('gives one client 10 answers in a minute with RATE_LIMIT_PER_MINUTE=10, asked alternately of both', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (await ask(i % 2 === 0 ? a.url : b.url, KNOWN.legalAdvice.question, ip)).status,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // The other replica refuses as soon as the budget is spent, not after its own 10.
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  }, 30_000);

  it('answers from a report uploaded through the other replica, neither restarted', async () => {
    const pids = [a.child.pid, b.child.pid];
    expect((await ask(b.url, ONLY_THE_UPLOAD, freshIp())).body['found']).toBe(false);
    const form = new FormData();
    form.set('file', new Blob([REPORT]), '2025_青山市政府工作报告.txt');
    const res = await fetch(`${a.url}/api/admin/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    let job: Record<string, unknown> = {};
    for (let i = 0; i < 600 && job['state'] !== 'done' && job['state'] !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (
        await fetch(`${a.url}/api/admin/jobs/${jobId}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as Record<string, unknown>;
    }
    expect(job['state']).toBe('done');
    // Replica b hears of the new version and swaps it in (no fixed wait: poll its answers).
    let answer: Record<string, unknown> = {};
    for (let i = 0; i < 100 && answer['found'] !== true; i++) {
      answer = (await ask(b.url, ONLY_THE_UPLOAD, freshIp())).body;
      if (answer['found'] !== true) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer['found']).toBe(true);
    expect(String(answer['answer'])).toContain('128');
    expect([a.child.pid, b.child.pid]).toEqual(pids);
    // Both serve the new version: the old one is removed (no replica uses it any more).
    const versions = path.join(deployment.dirs.indexDir, 'versions');
    for (let i = 0; i < 50 && readdirSync(versions).length > 1; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(versions)).toEqual([currentVersion(deployment.dirs.indexDir)]);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  }, 90_000);

  it('keeps answering when one replica is killed under load, and every answer given is in the log', async () => {
    const answered: string[] = [];
    const afterKill: number[] = [];
    let killed = false;
    const stopAt = Date.now() + 4000;
    const questions = [
      KNOWN.legalAdvice.question,
      KNOWN.proposals.question,
      KNOWN.notFound.question,
    ];
    const client = async (n: number) => {
      for (let i = 0; Date.now() < stopAt; i++) {
        const target = (n + i) % 2 === 0 ? a : b;
        try {
          const { status, body } = await ask(
            target.url,
            questions[i % questions.length]!,
            freshIp(),
          );
          if (status === 200) answered.push(String(body['messageId']));
          if (killed && target === b) afterKill.push(status);
        } catch {
          // the killed replica: connection refused or reset
          if (target === b) afterKill.push(0);
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(client));
    await new Promise((r) => setTimeout(r, 1500));
    a.child.kill('SIGKILL');
    killed = true;
    await load;
    expect(afterKill.length).toBeGreaterThan(10);
    expect(afterKill.every((s) => s === 200)).toBe(true);
    const db = new Database(path.join(deployment.dirs.dataDir, 'wenzheng.sqlite'), {
      readonly: true,
    });
    try {
      const logged = new Set(
        (db.prepare('SELECT message_id AS id FROM questions').all() as Array<{ id: string }>).map(
          (r) => r.id,
        ),
      );
      const missing = answered.filter((id) => !logged.has(id));
      expect(answered.length).toBeGreaterThan(50);
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});
