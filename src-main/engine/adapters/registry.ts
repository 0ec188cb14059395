import path from 'node:path';
import type { RegisteredAdapter } from './adapter';
import { descriptorView, type DccDescriptorView } from './descriptor';
import { blenderAdapter } from './blender';
import { cinema4dAdapter } from './cinema4d';
import { commandAdapter } from './command';
import { huskAdapter } from './houdini-husk';
import { hythonAdapter } from './houdini-hython';
import { kickAdapter } from './kick';
import { maxAdapter } from './max';
import { mayaAdapter } from './maya';
import { nukeAdapter } from './nuke';
import { povrayAdapter } from './povray';

/** Every DCC Spool can render with, once: detection, the CLI and the UI all read this list. */
const ADAPTERS: readonly RegisteredAdapter[] = [
  blenderAdapter,
  mayaAdapter,
  hythonAdapter,
  huskAdapter,
  nukeAdapter,
  cinema4dAdapter,
  maxAdapter,
  kickAdapter,
  povrayAdapter,
  commandAdapter,
];

export function allAdapters(): readonly RegisteredAdapter[] {
  return ADAPTERS;
}

export function getAdapter(id: string): RegisteredAdapter | null {
  return ADAPTERS.find((adapter) => adapter.id === id) ?? null;
}

/** The adapter that claims a scene file by its extension, e.g. `.blend` → Blender. */
export function adapterForScene(scene: string): RegisteredAdapter | null {
  const ext = path.extname(scene).toLowerCase();
  return ext ? (ADAPTERS.find((adapter) => adapter.extensions.includes(ext)) ?? null) : null;
}

/** The descriptors as the UI needs them (the `dccs.registry` command). */
export function dccRegistry(): DccDescriptorView[] {
  return ADAPTERS.map(descriptorView);
}

/** Every scene file extension an adapter claims (`.blend`, `.ma`, …): what the scene browser lists. */
export function sceneExtensions(): string[] {
  return [...new Set(ADAPTERS.flatMap((adapter) => adapter.extensions))];
}
