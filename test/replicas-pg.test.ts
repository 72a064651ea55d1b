/**
 * Two replicas, as a deployment runs them: two real servers with the operator console on
 * port 0, each with its own folders, sharing one PostgreSQL database. What one replica
 * records (questions, feedback, accounts, sessions, verdicts, curated answers) the other
 * sees; a change of settings is announced through onChange and applied on the other with
 * applyChange (the hook the cross-replica announcement uses).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeKind } from '../src/admin/changes.js';
import { gapKey } from '../src/server/log-store.js';
import { signIn, startConsoleServer, type ConsoleServer } from './helpers/console-server.js';
import { createTestDatabase, hasPostgres, NO_POSTGRES, type TestDatabase } from './helpers/pg.js';
import { KNOWN } from './helpers/real-engine.js';

const post = (url: string, route: string, body: unknown) =>
  fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe.skipIf(!hasPostgres)(
  `two replicas on one PostgreSQL database${hasPostgres ? '' : ` (${NO_POSTGRES})`}`,
  () => {
    let db: TestDatabase;
    let a: ConsoleServer;
    let b: ConsoleServer;
    const announced: ChangeKind[] = [];

    beforeAll(async () => {
      db = await createTestDatabase();
      const env = { DATABASE_URL: db.url, PG_POOL_MAX: '4' };
      [a, b] = await Promise.all([startConsoleServer({ env }), startConsoleServer({ env })]);
      a.operatorConsole.onChange((kind) => announced.push(kind));
      await a.addUser('editor1', 'editor password 1');
    }, 120_000);
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await db?.drop();
    });

    it('signs in on one replica with an account made on the other, and the session works on both', async () => {
      const onB = await signIn(b.url, 'editor1', 'editor password 1');
      const res = await fetch(`${a.url}/api/admin/session`, { headers: { cookie: onB.cookie } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: 'editor1', role: 'editor' });
      await onB.request('DELETE', '/session');
      const after = await fetch(`${a.url}/api/admin/session`, { headers: { cookie: onB.cookie } });
      expect(after.status).toBe(401);
    });

    it("shows feedback given on one replica in the other's gaps, with the verdict given there", async () => {
      const answered = (await (
        await post(a.url, '/api/ask', { question: KNOWN.proposals.question })
      ).json()) as { messageId: string; found: boolean };
      expect(answered.found).toBe(true);
      const refused = (await (
        await post(a.url, '/api/ask', { question: KNOWN.notFound.question })
      ).json()) as { found: boolean };
      expect(refused.found).toBe(false);
      const feedback = await post(a.url, '/api/feedback', {
        messageId: answered.messageId,
        rating: 'down',
      });
      expect(feedback.status).toBe(200);

      const onB = await signIn(b.url, 'editor1', 'editor password 1');
      type Gap = { key: string; question: string; downVotes: number; verdict: unknown };
      const gapsOf = async (url: string) => {
        const res = await fetch(`${url}/api/admin/gaps`, { headers: { cookie: onB.cookie } });
        return ((await res.json()) as { gaps: Gap[] }).gaps;
      };
      const gaps = await gapsOf(b.url);
      const downVoted = gaps.find((g) => g.key === gapKey(KNOWN.proposals.question));
      expect(downVoted).toMatchObject({ downVotes: 1, verdict: null });
      expect(gaps.map((g) => g.key)).toContain(gapKey(KNOWN.notFound.question));

      const verdict = await onB.request('POST', '/gaps/verdict', {
        keys: [downVoted!.key],
        verdict: 'should-answer',
      });
      expect(verdict.status).toBe(200);
      const onA = (await gapsOf(a.url)).find((g) => g.key === downVoted!.key);
      expect(onA?.verdict).toMatchObject({ verdict: 'should-answer', by: 'editor1' });
      const audit = await onB.json<{ audit: Array<{ action: string }> }>('GET', '/audit');
      expect(audit.audit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['gap.verdict', 'session.signin']),
      );
    });

    it('announces a change of settings on the replica that made it, and the other applies it when told', async () => {
      const onA = await signIn(a.url, 'editor1', 'editor password 1');
      const res = await onA.request('PUT', '/settings', { greeting: '您好，这里是第一台。' });
      expect(res.status).toBe(200);
      expect(announced).toContain('settings');
      expect(a.operatorConsole.siteSettings().greeting).toBe('您好，这里是第一台。');
      // The other replica reads the shared database when the announcement reaches it.
      await b.operatorConsole.applyChange('settings');
      expect(b.operatorConsole.siteSettings().greeting).toBe('您好，这里是第一台。');
      const widget = (await (await fetch(`${b.url}/api/widget-config`)).json()) as {
        greeting: string;
      };
      expect(widget.greeting).toBe('您好，这里是第一台。');
    });

    it('lists a synonym added on one replica on the other', async () => {
      const onA = await signIn(a.url, 'editor1', 'editor password 1');
      const added = await onA.request('POST', '/synonyms', {
        official: ['人大代表建议'],
        everyday: ['代表提的意见'],
      });
      expect(added.status).toBe(201);
      expect(announced).toContain('synonyms');
      const onB = await signIn(b.url, 'editor1', 'editor password 1');
      const { synonyms } = await onB.json<{ synonyms: Array<{ everyday: string[] }> }>(
        'GET',
        '/synonyms',
      );
      expect(synonyms.map((s) => s.everyday)).toEqual([['代表提的意见']]);
    });
  },
);
