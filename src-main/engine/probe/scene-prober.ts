import type { Adapter } from '../adapters/adapter';
import type { SceneInfo } from '../types';
import { ProbeCache } from './probe-cache';
import { requireSceneFile } from './scene-file';
import { WarmProbeUnavailable, WarmProber, type WarmOptions } from './warm-prober';

const DEFAULTS: WarmOptions = { idleMs: 120_000, timeoutMs: 30_000, maxRequests: 200 };

/**
 * The engine's scene probes: answered from the cache while the file is unchanged, else by the
 * adapter's warm prober (one process at a time, for the DCC last asked), else by its cold probe.
 * A warm prober that cannot answer never fails a probe: the cold probe runs instead.
 */
export class SceneProber {
  private readonly cache = new ProbeCache();
  private warm: WarmProber | null = null;

  constructor(private readonly options: WarmOptions = DEFAULTS) {}

  async probe(adapter: Adapter, scene: string, executable: string): Promise<SceneInfo> {
    const stat = requireSceneFile(scene);
    const key = `${adapter.id}\0${executable}\0${scene}`;
    const hit = this.cache.get(key, stat);
    if (hit) return hit;
    const info = await this.read(adapter, scene, executable);
    this.cache.set(key, stat, info);
    return info;
  }

  /** The warm process's pid, if one runs (tests kill it to prove a restart). */
  get warmPid(): number | undefined {
    return this.warm?.pid;
  }

  stop(): void {
    this.warm?.stop();
    this.warm = null;
  }

  /** Starts the adapter's warm prober now, so the first probe does not wait for the DCC to start. */
  warmUp(adapter: Adapter, executable: string): void {
    this.proberFor(adapter, executable)
      ?.warm()
      .catch(() => undefined);
  }

  private proberFor(adapter: Adapter, executable: string): WarmProber | null {
    const spec = adapter.warmProbe;
    if (!spec) return null;
    if (this.warm?.executable !== executable || this.warm.spec !== spec) {
      this.warm?.stop();
      this.warm = new WarmProber(executable, spec, this.options);
    }
    return this.warm;
  }

  private async read(adapter: Adapter, scene: string, executable: string): Promise<SceneInfo> {
    const spec = adapter.warmProbe;
    const warm = this.proberFor(adapter, executable);
    if (spec && warm) {
      try {
        return spec.read(await warm.request(scene), scene);
      } catch (error) {
        if (!(error instanceof WarmProbeUnavailable)) throw error;
      }
    }
    return adapter.probeScene!(scene, executable);
  }
}
