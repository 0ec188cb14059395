import { appendFileSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffWatches, watchFolder, type WatchFolder } from './handoff-watches';

/** Open fs.watch handles of this process (a closed one is gone one turn of the event loop later). */
function watchHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
}

async function until(what: string, test: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const fault = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

describe('hand-off folder watches', () => {
  let dir: string;
  let baseline: number;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spool-handoff-watch-'));
    baseline = watchHandles();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a hand-off when its folder changes (then it is live), never two reads at once, and closes its watch when told', async () => {
    let reads = 0;
    let inFlight = 0;
    let overlapped = false;
    const watches = new HandoffWatches({
      read: async (subId) => {
        expect(subId).toBe(7);
        inFlight++;
        overlapped ||= inFlight > 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        reads++;
      },
      fellBack: () => expect.unreachable('a working watch does not fall back'),
    });
    watches.watch(7, dir);
    watches.watch(7, dir);
    expect(watchHandles()).toBe(baseline + 1);
    // Not live till the farm's writes show up here (from another NFS client they never do).
    expect(watches.live(7)).toBe(false);
    for (let i = 0; i < 50; i++) appendFileSync(path.join(dir, 'element-0.log'), `line ${i}\n`);
    await until('a read', () => reads > 0 && inFlight === 0);
    expect(overlapped).toBe(false);
    expect(watches.live(7)).toBe(true);
    watches.unwatch(7);
    expect(watches.live(7)).toBe(false);
    await until('the watch to close', () => watchHandles() === baseline);
    const after = reads;
    writeFileSync(path.join(dir, 'element-0.exit'), '0\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBe(after);
  });

  it('close() closes every watch', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'spool-handoff-watch-'));
    try {
      const watches = new HandoffWatches({ read: async () => undefined, fellBack: () => undefined });
      watches.watch(1, dir);
      watches.watch(2, other);
      expect(watchHandles()).toBe(baseline + 2);
      watches.close();
      await until('the watches to close', () => watchHandles() === baseline);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  for (const code of ['ENOSPC', 'EMFILE']) {
    it(`a folder that cannot be watched (${code} from fs.watch) falls back to polling: no throw, said once, not tried again`, () => {
      let calls = 0;
      const failing: WatchFolder = () => {
        calls++;
        throw fault(code);
      };
      const fellBack: string[] = [];
      const watches = new HandoffWatches({ watchFolder: failing, read: async () => undefined, fellBack: (subId, where, error) => fellBack.push(`${subId} ${where} ${(error as NodeJS.ErrnoException).code}`) });
      expect(() => watches.watch(3, dir)).not.toThrow();
      watches.watch(3, dir);
      expect(calls).toBe(1);
      expect(fellBack).toEqual([`3 ${dir} ${code}`]);
      expect(watchHandles()).toBe(baseline);
    });
  }

  it('a watch that breaks later (an error event) is closed and its hand-off polled only', async () => {
    let watcher: ReturnType<typeof watch> | null = null;
    const breaking: WatchFolder = (where, changed) => (watcher = watchFolder(where, changed) as ReturnType<typeof watch>);
    let reads = 0;
    const fellBack: string[] = [];
    const watches = new HandoffWatches({ watchFolder: breaking, read: async () => void reads++, fellBack: (_id, _dir, error) => fellBack.push((error as NodeJS.ErrnoException).code!) });
    watches.watch(4, dir);
    expect(watchHandles()).toBe(baseline + 1);
    watcher!.emit('error', fault('EMFILE'));
    expect(fellBack).toEqual(['EMFILE']);
    await until('the broken watch to close', () => watchHandles() === baseline);
    watches.watch(4, dir);
    writeFileSync(path.join(dir, 'element-0.log'), 'Saved: x\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBe(0);
    expect(watchHandles()).toBe(baseline);
  });
});
