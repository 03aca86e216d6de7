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
  // Reports to the update backend wait here until it answers 2xx; the key travels with every
  // attempt so the backend can drop a repeat after a crash between sending and marking.
  `
  CREATE TABLE report_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    key              TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    -- reports of one stream (one hawkBit action) go out in id order
    stream           TEXT NOT NULL,
    target           TEXT NOT NULL,
    payload_json     TEXT NOT NULL,
    -- 1 for the report that ends its stream (hawkBit: execution closed); nothing is queued after it
    closes_stream    INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'rejected')),
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    -- a console sending a report holds it until then; the process id lets a successor skip the wait after a crash
    lease_until_ms   INTEGER,
    lease_pid        INTEGER,
    last_error       TEXT,
    finished_at      TEXT
  );
  CREATE INDEX report_outbox_pending ON report_outbox (status, stream, id);
  `,
  // How a job was started (JSON, see retry-plan-store.ts), so Retry works after the console restarts.
  // NULL for jobs of older consoles: they are not offered for retry.
  `
  ALTER TABLE jobs ADD COLUMN retry_plan_json TEXT;
  CREATE INDEX jobs_by_address ON jobs (address, created_at);
  `,
  // A log line's catalogued text id and arguments, so a log read back is shown in the console's language;
  // NULL for lines stored before, which keep their English message.
  `ALTER TABLE job_log ADD COLUMN text_json TEXT;`,
];
