import type { BigIntStats } from 'node:fs';
import type { SceneInfo } from '../types';

/**
 * What was read from a scene, remembered while the file stays the same. The file's identity is
 * its size, inode, and its mtime and ctime in nanoseconds: saving the scene again changes at least
 * one, so a changed file is never answered from here. The stat is taken before the read, so a file
 * saved during a probe already fails the next check. Bounded; the oldest entry goes first.
 */
export class ProbeCache {
  private readonly entries = new Map<string, { identity: string; info: SceneInfo }>();

  constructor(private readonly capacity = 256) {}

  get(key: string, stat: BigIntStats): SceneInfo | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.identity !== identity(stat)) {
      this.entries.delete(key);
      return null;
    }
    // Refreshed as most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return structuredClone(entry.info);
  }

  set(key: string, stat: BigIntStats, info: SceneInfo): void {
    this.entries.delete(key);
    this.entries.set(key, { identity: identity(stat), info: structuredClone(info) });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

function identity(stat: BigIntStats): string {
  return `${stat.size}:${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}`;
}
