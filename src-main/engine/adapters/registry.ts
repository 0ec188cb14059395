import path from 'node:path';
import type { Adapter } from './adapter';
import { blenderAdapter } from './blender';
import { commandAdapter } from './command';
import { povrayAdapter } from './povray';

const ADAPTERS: readonly Adapter[] = [blenderAdapter, povrayAdapter, commandAdapter];

export function allAdapters(): readonly Adapter[] {
  return ADAPTERS;
}

export function getAdapter(id: string): Adapter | null {
  return ADAPTERS.find((adapter) => adapter.id === id) ?? null;
}

/** The adapter that claims a scene file by its extension, e.g. `.blend` → Blender. */
export function adapterForScene(scene: string): Adapter | null {
  const ext = path.extname(scene).toLowerCase();
  return ext ? (ADAPTERS.find((adapter) => adapter.extensions.includes(ext)) ?? null) : null;
}
