-- Wenzheng on PostgreSQL: the question log and the operator console's state.
-- Applied once, in a transaction, by src/store/pg-migrate.ts (see schema_migrations).

-- One answered question (text masked before storage), with its rating.
CREATE TABLE questions (
  message_id text PRIMARY KEY,
  at timestamptz NOT NULL,
  session_id text,
  transport text NOT NULL,
  question text NOT NULL,
  question_key text NOT NULL,
  found boolean NOT NULL,
  cited_chunk_ids jsonb NOT NULL,
  latency_ms integer NOT NULL,
  mode text NOT NULL,
  rating text CHECK (rating IN ('up', 'down')),
  comment text,
  rated_at timestamptz
);
CREATE INDEX questions_at ON questions (at);
CREATE INDEX questions_gaps ON questions (question_key, at) WHERE NOT found OR rating = 'down';
CREATE INDEX questions_rated ON questions (rated_at DESC) WHERE rating IS NOT NULL;

CREATE TABLE admin_users (
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('editor', 'viewer')),
  password_hash text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until bigint,
  created_at timestamptz NOT NULL
);

-- id_hash: sha256 of the cookie value; expires_at: epoch ms.
CREATE TABLE admin_sessions (
  id_hash text PRIMARY KEY,
  user_name text NOT NULL,
  csrf_token text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX admin_sessions_user ON admin_sessions (user_name);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

CREATE TABLE admin_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  detail text NOT NULL
);

-- Every version of every curated answer; withdrawing is a version too.
CREATE TABLE admin_curated (
  id text NOT NULL,
  version integer NOT NULL,
  question text NOT NULL,
  paraphrases jsonb NOT NULL,
  answer text NOT NULL,
  chunk_ids jsonb NOT NULL,
  author text NOT NULL,
  updated_at timestamptz NOT NULL,
  withdrawn boolean NOT NULL DEFAULT false,
  PRIMARY KEY (id, version)
);

CREATE TABLE admin_synonyms (
  id bigserial PRIMARY KEY,
  official jsonb NOT NULL,
  everyday jsonb NOT NULL,
  author text NOT NULL,
  at timestamptz NOT NULL
);

CREATE TABLE admin_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE admin_verdicts (
  question_key text PRIMARY KEY,
  verdict text NOT NULL CHECK (verdict IN ('not-in-reports', 'should-answer')),
  by_user text NOT NULL,
  at timestamptz NOT NULL
);

-- owner: the replica that runs the job (see replicas).
CREATE TABLE admin_jobs (
  job_id text PRIMARY KEY,
  created_at timestamptz NOT NULL,
  state text NOT NULL,
  owner text NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX admin_jobs_created ON admin_jobs (created_at DESC);
CREATE INDEX admin_jobs_unfinished ON admin_jobs (owner) WHERE state IN ('queued', 'running');

-- Replicas that are up: each touches its row every few seconds (the database's clock).
CREATE TABLE replicas (
  id text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now()
);
