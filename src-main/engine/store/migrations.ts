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
  // 2: job dependencies, a cached outcome for them, after-render steps, tags, watch folders.
  `
  -- Written where the job settles (same transaction): what jobs that wait for this one see.
  ALTER TABLE jobs ADD COLUMN outcome TEXT CHECK (outcome IN ('succeeded','failed','canceled','blocked'));
  ALTER TABLE jobs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
  UPDATE jobs SET outcome = CASE
      WHEN intent = 'canceled' THEN 'canceled'
      WHEN NOT EXISTS (SELECT 1 FROM tasks t WHERE t.job_id = jobs.id AND t.state != 'succeeded') THEN 'succeeded'
      WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.job_id = jobs.id AND t.state = 'failed') THEN 'failed'
      ELSE 'canceled' END
    WHERE finished_at IS NOT NULL;

  CREATE TABLE job_deps (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    dep_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, dep_id),
    CHECK (job_id != dep_id)
  ) WITHOUT ROWID;
  CREATE INDEX job_deps_dep ON job_deps (dep_id);

  CREATE TABLE steps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    spec        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('pending','waiting','running','succeeded','failed','canceled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER,
    reason      TEXT,
    output      TEXT    NOT NULL DEFAULT '[]',
    log_path    TEXT,
    pid         INTEGER,
    pid_start   TEXT,
    started_at  INTEGER,
    finished_at INTEGER,
    UNIQUE (job_id, idx)
  );
  CREATE INDEX steps_state ON steps (state, job_id);

  -- Files a watch folder queued (or refused), so each version of a file is queued once.
  CREATE TABLE watch_seen (
    path     TEXT    NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    job_ids  TEXT    NOT NULL DEFAULT '[]',
    error    TEXT,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (path, size, mtime_ms)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
