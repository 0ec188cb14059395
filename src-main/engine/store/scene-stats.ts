import type { Db, Row } from './database';

export interface SceneTiming {
  startupMs: number;
  frameMs: number;
}

/** What automatic chunking measured per scene: start-up to first frame, and a frame's render time. */
export class SceneStatsRepo {
  constructor(private readonly db: Db) {}

  get(sceneKey: string): SceneTiming | null {
    const row = this.db.sql('SELECT startup_ms, frame_ms FROM scene_stats WHERE scene_key = ?').get(sceneKey) as Row | undefined;
    return row ? { startupMs: row.startup_ms as number, frameMs: row.frame_ms as number } : null;
  }

  save(sceneKey: string, startupMs: number, frameMs: number): void {
    this.db
      .sql(
        'INSERT INTO scene_stats (scene_key, startup_ms, frame_ms, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (scene_key) DO UPDATE SET startup_ms = excluded.startup_ms, frame_ms = excluded.frame_ms, updated_at = excluded.updated_at',
      )
      .run(sceneKey, startupMs, frameMs, Date.now());
  }
}
