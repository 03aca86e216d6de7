/**
 * Schema changes in order; `PRAGMA user_version` holds how many ran. Never
 * edit a shipped migration: databases in the field already ran it. Add one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    address       TEXT NOT NULL,
    image_name    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    finished_at   TEXT,
    -- 'running' until the report is written; a 'running' row found at start-up was interrupted
    status        TEXT NOT NULL CHECK (status IN ('running', 'finished')),
    serial        TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    from_version  TEXT NOT NULL DEFAULT '',
    to_version    TEXT NOT NULL DEFAULT '',
    active_slot   TEXT NOT NULL DEFAULT 'a' CHECK (active_slot IN ('a', 'b')),
    bytes_sent    INTEGER NOT NULL DEFAULT 0,
    result        TEXT CHECK (result IN ('success', 'failed', 'rolled-back')),
    code          TEXT,
    error_json    TEXT,
    duration_ms   REAL
  );
  CREATE INDEX jobs_by_created ON jobs (created_at DESC);

  CREATE TABLE job_stages (
    job_id    TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    -- NULL for a stage; the install step's name for one of its steps
    step      TEXT,
    status    TEXT NOT NULL,
    ms        REAL,
    PRIMARY KEY (job_id, position)
  );

  CREATE TABLE job_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id   TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    level    TEXT NOT NULL,
    message  TEXT NOT NULL
  );
  CREATE INDEX job_log_by_job ON job_log (job_id, id);

  CREATE TABLE devices (
    address    TEXT PRIMARY KEY,
    info_json  TEXT,
    last_seen  TEXT NOT NULL
  );
  `,
  // Which process runs a job, so a second console sharing the file (CLI next to the desktop app)
  // does not declare the other one's running jobs interrupted.
  `ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;`,
];
