import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFrameSet } from '../../src-main/engine/frames';
import { Store } from '../../src-main/engine/store';
import type { JobRecord, JobSpec } from '../../src-main/engine/types';

/**
 * Jobs put straight into a store, for the store tests and the benchmarks that need a queue without
 * rendering one: the generic command adapter running `true`, all that a test does not set filled in.
 */
export function commandJobSpec(over: Partial<JobSpec> = {}): JobSpec {
  return {
    name: 'shot',
    dcc: 'command',
    scene: null,
    framesText: '1-4',
    chunkSize: 4,
    output: null,
    priority: 0,
    slots: null,
    retries: 0,
    stallTimeoutSec: null,
    taskTimeoutSec: null,
    device: { kind: 'cpu' },
    overrides: { template: 'true' },
    ...over,
  };
}

/** Inserts a command job whose frames (its framesText) are all one chunk. */
export function seedJob(store: Store, over: Partial<JobSpec> = {}): JobRecord {
  const spec = commandJobSpec(over);
  const parsed = parseFrameSet(spec.framesText);
  if (!parsed.ok) throw new Error(`seedJob: bad frames ${spec.framesText}`);
  return store.jobs.insert(spec, parsed.frames, [parsed.frames]);
}

/** A fresh store in a temporary folder of its own. */
export function openTempStore(prefix = 'spool-store-'): Store {
  return Store.open(path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), 'spool.db'));
}
