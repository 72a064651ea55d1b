/**
 * The question log's SQLite backend (the embedded default): the `questions` table in
 * `<DATA_DIR>/wenzheng.sqlite`, written by src/server/log-store.ts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Gap, LogBackend } from '../server/log-store.js';
import { toStoredQuestion, type QuestionRow } from './rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS questions (
  message_id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  session_id TEXT,
  transport TEXT NOT NULL,
  question TEXT NOT NULL,
  question_key TEXT NOT NULL,
  found INTEGER NOT NULL,
  cited_chunk_ids TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  mode TEXT NOT NULL,
  rating TEXT,
  comment TEXT,
  rated_at TEXT
);
CREATE INDEX IF NOT EXISTS questions_gaps ON questions (found, question_key);
`;

/** SQLite's error codes, as the operator would describe them. */
const REASONS: Array<[RegExp, string]> = [
  [/SQLITE_FULL/, '磁盘已满'],
  [/SQLITE_READONLY/, '文件或所在目录只读'],
  [/SQLITE_CANTOPEN/, '无法打开文件（目录不存在或没有权限）'],
  [/SQLITE_NOTADB|SQLITE_CORRUPT/, '文件已损坏或不是 SQLite 数据库'],
  [/SQLITE_IOERR/, '磁盘读写出错'],
  [/EACCES|EPERM|EROFS/, '没有写权限或文件系统只读'],
  [/ENOSPC/, '磁盘已满'],
];

interface Statements {
  db: Database.Database;
  insertBatch: Database.Statement;
  rate: Database.Statement;
  selectGaps: Database.Statement;
  selectOne: Database.Statement;
}

function openDatabase(file: string): Statements {
  const db = new Database(file);
  try {
    // WAL + NORMAL: one fsync per checkpoint rather than per answer; a crash can lose the
    // last few log lines, never corrupt the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    return {
      db,
      // A batch is one statement over a JSON array (SQLite's json_each): binding and stepping
      // once per batch costs far less than once per row.
      insertBatch: db.prepare(`INSERT OR IGNORE INTO questions
        (message_id, at, session_id, transport, question, question_key, found, cited_chunk_ids, latency_ms, mode, rating, comment, rated_at)
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9,
          value ->> 10, value ->> 11, value ->> 12
        FROM json_each(?)`),
      rate: db.prepare(
        'UPDATE questions SET rating = ?, comment = ?, rated_at = ? WHERE message_id = ?',
      ),
      selectGaps: db.prepare(`SELECT
          (SELECT q2.question FROM questions q2 WHERE q2.found = 0 AND q2.question_key = q.question_key
            ORDER BY q2.at DESC LIMIT 1) AS question,
          COUNT(*) AS count, MAX(at) AS lastAskedAt
        FROM questions q WHERE found = 0 GROUP BY question_key
        ORDER BY count DESC, lastAskedAt DESC LIMIT ?`),
      selectOne: db.prepare('SELECT * FROM questions WHERE message_id = ?'),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The backend on `<dir>/wenzheng.sqlite` (`:memory:`: in memory). */
export function sqliteLogBackend(dir: string): LogBackend {
  const file = dir === ':memory:' ? ':memory:' : path.join(dir, 'wenzheng.sqlite');
  let sql: Statements | null = null;
  const open = (): Statements => {
    if (sql) return sql;
    if (file !== ':memory:') mkdirSync(dir, { recursive: true });
    sql = openDatabase(file);
    return sql;
  };
  return {
    where: file,
    advice: '请检查磁盘空间和文件权限；若文件已损坏，请将其移走，服务会新建一个。',
    async open() {
      open();
    },
    async insert(rows) {
      open().insertBatch.run(JSON.stringify(rows));
    },
    async rate(messageId, rating, comment, at) {
      return open().rate.run(rating, comment, at, messageId).changes > 0;
    },
    async gaps(limit) {
      return open().selectGaps.all(limit) as Gap[];
    },
    async get(messageId) {
      const row = open().selectOne.get(messageId) as QuestionRow | undefined;
      return row ? toStoredQuestion(row) : null;
    },
    reset() {
      const s = sql;
      sql = null;
      if (s?.db.open) s.db.close();
    },
    reason(error) {
      const code = (error as { code?: unknown }).code;
      const detail = `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
      return REASONS.find(([pattern]) => pattern.test(detail))?.[1] ?? '未知错误';
    },
    async close() {
      this.reset();
    },
  };
}
