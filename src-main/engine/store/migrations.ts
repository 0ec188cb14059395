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
  // 3: after-render steps become tasks (Flamenco's shape: post-render work is a task that depends
  // on the render tasks), so one runner, one retry policy and one attempts table serve both.
  // SQLite cannot change a table's UNIQUE constraint in place: the table is rebuilt (runs with
  // foreign keys off, as SQLite's own procedure says; open-database checks them before commit).
  `
  CREATE TABLE tasks_v3 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL DEFAULT 'render' CHECK (role IN ('render','step')),
    idx         INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('queued','waiting','running','succeeded','failed','canceled')),
    failures    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER,
    reason      TEXT,
    started_at  INTEGER,
    finished_at INTEGER,
    -- A step's StepSpec (JSON) and the files it made; null and [] for render tasks.
    spec        TEXT,
    outputs     TEXT    NOT NULL DEFAULT '[]',
    UNIQUE (job_id, role, idx)
  );
  INSERT INTO tasks_v3 (id, job_id, role, idx, state, failures, not_before, reason, started_at, finished_at)
    SELECT id, job_id, 'render', idx, state, failures, not_before, reason, started_at, finished_at FROM tasks;
  INSERT INTO tasks_v3 (job_id, role, idx, state, failures, not_before, reason, started_at, finished_at, spec, outputs)
    SELECT job_id, 'step', idx, CASE state WHEN 'pending' THEN 'queued' ELSE state END, failures, not_before, reason,
           started_at, finished_at, spec, output
    FROM steps ORDER BY id;
  -- A step kept only its latest run's log: that run becomes its attempt.
  INSERT INTO attempts (task_id, argv, device, pid, pid_start, started_at, ended_at, reason, log_path)
    SELECT t.id, '[]', '{"kind":"cpu","threads":1}', s.pid, s.pid_start, COALESCE(s.started_at, 0),
           CASE WHEN s.state = 'running' THEN NULL ELSE COALESCE(s.finished_at, s.started_at, 0) END,
           CASE WHEN s.state IN ('failed','canceled','waiting') THEN s.reason END, s.log_path
    FROM steps s JOIN tasks_v3 t ON t.job_id = s.job_id AND t.role = 'step' AND t.idx = s.idx
    WHERE s.attempts > 0 AND s.log_path IS NOT NULL;
  DROP TABLE steps;
  DROP TABLE tasks;
  ALTER TABLE tasks_v3 RENAME TO tasks;
  CREATE INDEX tasks_state ON tasks (role, state, job_id);
  `,
  // 4: a done frame's file as it was verified: retry and report notice one deleted or replaced since.
  `
  ALTER TABLE frames ADD COLUMN output_size INTEGER;
  ALTER TABLE frames ADD COLUMN output_mtime_ms REAL;
  `,
  // 5: the scheduler walks live jobs in priority order and stops at the first runnable ones
  // (store/queue.ts runnableTasks): a search for intent = 'active' AND finished_at IS NULL reads
  // only unfinished jobs, already in priority order, so neither the history nor a long queue makes
  // that walk longer.
  `
  CREATE INDEX jobs_live ON jobs (intent, finished_at, priority DESC, id);
  `,
  // 6: a pause can wait for the frame in progress (pause_mode); a paused attempt is recorded as
  // paused, not failed (attempts.outcome); elapsed time leaves out the time a job stood paused.
  // Attempts a pause stopped before this said so only in their reason, which was always this text.
  `
  ALTER TABLE attempts ADD COLUMN outcome TEXT CHECK (outcome IN ('succeeded','failed','retried','canceled','paused','interrupted'));
  UPDATE attempts SET outcome = 'paused' WHERE reason = 'paused by user';
  ALTER TABLE jobs ADD COLUMN pause_mode TEXT CHECK (pause_mode IN ('after-frame','now'));
  ALTER TABLE jobs ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN paused_at INTEGER;
  `,
  // 7: an attempt's number within its job, kept when it starts (counting the job's attempts on
  // every read made reading a big job's attempts quadratic); jobs count their attempts.
  `
  ALTER TABLE attempts ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
  UPDATE attempts SET number = (
    SELECT n FROM (
      SELECT b.id, ROW_NUMBER() OVER (PARTITION BY t.job_id ORDER BY b.id) AS n
      FROM attempts b JOIN tasks t ON t.id = b.task_id
    ) ranked WHERE ranked.id = attempts.id);
  UPDATE jobs SET attempt_count = (SELECT COUNT(*) FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE t.job_id = jobs.id);
  `,
  // 8: a frame the user set aside is 'suspended' (skipped by the scheduler, never failed). SQLite
  // cannot change a CHECK constraint in place: the table is rebuilt as migration 3 did (foreign
  // keys off while migrating, checked before commit), keeping every column and index.
  `
  CREATE TABLE frames_v8 (
    job_id          INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    frame           INTEGER NOT NULL,
    ord             INTEGER NOT NULL,
    task_id         INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued','running','done','failed','canceled','suspended')),
    output          TEXT,
    reason          TEXT,
    render_ms       INTEGER,
    attempt_id      INTEGER,
    output_size     INTEGER,
    output_mtime_ms REAL,
    PRIMARY KEY (job_id, frame)
  ) WITHOUT ROWID;
  INSERT INTO frames_v8 (job_id, frame, ord, task_id, state, output, reason, render_ms, attempt_id, output_size, output_mtime_ms)
    SELECT job_id, frame, ord, task_id, state, output, reason, render_ms, attempt_id, output_size, output_mtime_ms FROM frames;
  DROP TABLE frames;
  ALTER TABLE frames_v8 RENAME TO frames;
  CREATE INDEX frames_task ON frames (task_id);
  CREATE INDEX frames_job_state ON frames (job_id, state);
  `,
  // 9: an attempt the scheduler shortened at a frame boundary (a higher-priority job came, or a
  // free slot took half its frames) ends 'shortened'. SQLite cannot change a CHECK in place: the
  // table is copied as it is, with the wider CHECK.
  `
  CREATE TABLE attempts_v9 (
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
    log_path   TEXT    NOT NULL,
    outcome    TEXT    CHECK (outcome IN ('succeeded','failed','retried','canceled','paused','interrupted','shortened')),
    number     INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO attempts_v9 (id, task_id, argv, device, pid, pid_start, started_at, ended_at, exit_code, signal, reason, log_path, outcome, number)
    SELECT id, task_id, argv, device, pid, pid_start, started_at, ended_at, exit_code, signal, reason, log_path, outcome, number FROM attempts;
  DROP TABLE attempts;
  ALTER TABLE attempts_v9 RENAME TO attempts;
  CREATE INDEX attempts_task ON attempts (task_id);
  CREATE INDEX attempts_open ON attempts (ended_at) WHERE ended_at IS NULL;
  `,
  // 10: profiles of the farms jobs can be handed to (config is zod-checked JSON without secrets;
  // a token lives in a private file named by secret_file, never in a column); a job's farm; each
  // hand-off's intent stored before the farm is called (tag = what the farm job carries, farm_job_id
  // once it answered), so a restarted engine re-attaches instead of submitting twice; an attempt's
  // farm-side id; why a farm job waits (its farm is unreachable).
  `
  CREATE TABLE farm_profiles (
    name        TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('slurm','flamenco')),
    config      TEXT    NOT NULL,
    secret_file TEXT,
    created_at  INTEGER NOT NULL
  );
  ALTER TABLE jobs ADD COLUMN farm TEXT;
  CREATE TABLE farm_submissions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    farm        TEXT    NOT NULL,
    tag         TEXT    NOT NULL UNIQUE,
    task_ids    TEXT    NOT NULL,
    farm_job_id TEXT,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX farm_submissions_job ON farm_submissions (job_id);
  ALTER TABLE attempts ADD COLUMN farm_id TEXT;
  ALTER TABLE jobs ADD COLUMN farm_waiting TEXT;
  `,
  // 11: "Clear finished" moves finished jobs out of the queue into History (archived_at): nothing is
  // deleted. The average frame time is the median of done frames' render times: an index that
  // holds them in order per job lets every summary read it without sorting the frames table.
  `
  ALTER TABLE jobs ADD COLUMN archived_at INTEGER;
  CREATE INDEX frames_render_ms ON frames (job_id, state, render_ms);
  `,
  // A frame's revision within its job: every change to a frame takes the job's next one (a trigger,
  // so no write path can forget it), and a view that holds a job's frames asks for those changed
  // since the revision it has (jobs.get framesSince) instead of all 100,000 again. Existing frames
  // start at 0: a view's first read is always a full one.
  `
  ALTER TABLE frames ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX frames_rev ON frames (job_id, rev);
  CREATE TRIGGER frames_rev AFTER UPDATE OF task_id, state, output, reason, render_ms, attempt_id, ord ON frames
  BEGIN
    UPDATE frames SET rev = (SELECT MAX(rev) FROM frames WHERE job_id = NEW.job_id) + 1 WHERE job_id = NEW.job_id AND frame = NEW.frame;
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
