/**
 * Numbered schema migrations. Each entry moves the schema from version i to i+1 and runs in one
 * transaction with the bump of PRAGMA user_version. Never edit a shipped entry: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    dcc             TEXT    NOT NULL,
    scene           TEXT,
    frames_text     TEXT    NOT NULL,
    frame_count     INTEGER NOT NULL,
    chunk_size      INTEGER,
    output          TEXT,
    priority        INTEGER NOT NULL DEFAULT 0,
    slots           INTEGER,
    retries         INTEGER NOT NULL,
    stall_timeout_s INTEGER,
    task_timeout_s  INTEGER,
    device          TEXT    NOT NULL,
    overrides       TEXT    NOT NULL,
    intent          TEXT    NOT NULL DEFAULT 'active' CHECK (intent IN ('active','paused','canceled')),
    created_at      INTEGER NOT NULL,
    started_at      INTEGER,
    finished_at     INTEGER
  );
  CREATE INDEX jobs_queue ON jobs (intent, priority DESC, id);

  CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('queued','waiting','running','succeeded','failed','canceled')),
    failures    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER,
    reason      TEXT,
    started_at  INTEGER,
    finished_at INTEGER,
    UNIQUE (job_id, idx)
  );
  CREATE INDEX tasks_state ON tasks (state, job_id);

  CREATE TABLE frames (
    job_id     INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    frame      INTEGER NOT NULL,
    ord        INTEGER NOT NULL,
    task_id    INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    state      TEXT    NOT NULL CHECK (state IN ('queued','running','done','failed','canceled')),
    output     TEXT,
    reason     TEXT,
    render_ms  INTEGER,
    attempt_id INTEGER,
    PRIMARY KEY (job_id, frame)
  ) WITHOUT ROWID;
  CREATE INDEX frames_task ON frames (task_id);
  CREATE INDEX frames_job_state ON frames (job_id, state);

  CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    argv       TEXT    NOT NULL,
    device     TEXT    NOT NULL,
    pid        INTEGER,
    pid_start  TEXT,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    exit_code  INTEGER,
    signal     TEXT,
    reason     TEXT,
    log_path   TEXT    NOT NULL
  );
  CREATE INDEX attempts_task ON attempts (task_id);
  CREATE INDEX attempts_open ON attempts (ended_at) WHERE ended_at IS NULL;

  CREATE TABLE scene_stats (
    scene_key  TEXT PRIMARY KEY,
    startup_ms REAL NOT NULL,
    frame_ms   REAL NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
