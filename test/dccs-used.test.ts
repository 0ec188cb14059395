import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../src-main/engine/adapters/registry';
import { resolveExecutable } from '../src-main/engine/executables';
import { storeFile } from '../src-main/engine/paths';
import { writeSetting } from '../src-main/engine/settings';
import { Store } from '../src-main/engine/store';
import { CLI, tempDir } from './helpers/fake-dcc';

type Install = { dcc: string; executable: string; version: string | null; source: string; used?: true };

function dccs(dataDir: string, json = true): string {
  const r = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'dccs', ...(json ? ['--json'] : [])], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/**
 * Devices and `spool dccs` show the program renders really run: with Blender set to a wrapper in
 * Settings, the wrapper (whatever its name) is listed with its own probed version and marked used.
 */
describe('the executable renders use', () => {
  it('is marked in spool dccs: the newest detected install, then the user’s wrapper once chosen', () => {
    const dir = tempDir('spool-used-');
    const dataDir = path.join(dir, 'data');
    const before = JSON.parse(dccs(dataDir)) as Install[];
    const system = before.filter((i) => i.dcc === 'blender');
    expect(system.filter((i) => i.used)).toHaveLength(1);

    const wrapper = path.join(dir, 'wrappers', 'studio-blender.sh');
    mkdirSync(path.dirname(wrapper), { recursive: true });
    writeFileSync(wrapper, `#!/bin/sh\nif [ "$1" = --version ]; then echo "Blender 4.2.9 (studio wrapper)"; exit 0; fi\nexec /usr/bin/blender "$@"\n`);
    chmodSync(wrapper, 0o755);
    // What Settings saves (settings.set takes any name with an explicit DCC).
    const store = Store.open(storeFile(dataDir));
    try {
      writeSetting(store, 'dccs.user', [{ dcc: 'blender', executable: wrapper }]);
    } finally {
      store.close();
    }

    const after = JSON.parse(dccs(dataDir)) as Install[];
    const blender = after.filter((i) => i.dcc === 'blender');
    expect(blender.find((i) => i.executable === wrapper)).toEqual(expect.objectContaining({ version: '4.2.9', source: 'user', used: true }));
    expect(blender.filter((i) => i.used).map((i) => i.executable)).toEqual([wrapper]);
    expect(dccs(dataDir, false)).toMatch(new RegExp(`^blender +4\\.2\\.9 +${wrapper.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\(user\\)  used$`, 'm'));

    // The same answer renders get.
    const check = Store.open(storeFile(dataDir));
    try {
      expect(resolveExecutable(check, getAdapter('blender')!, {})).toBe(wrapper);
    } finally {
      check.close();
    }
  });
});
