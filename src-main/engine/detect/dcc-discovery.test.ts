/**
 * Real discovery runs against this machine's /usr/bin/blender (Debian 3.4.1: `blender --version`
 * prints `Blender 3.4.1`) and /usr/bin/povray (`povray --version` prints
 * `POV-Ray 3.7.0.10.unofficial` on stderr) — both checked by hand here.
 * The fake trees mirror the install layouts of the adapters' descriptors (Deadline .param defaults,
 * Autodesk/SideFX/Foundry docs); their scripts print the DCCs' version lines
 * (`husk version 19.5.569` seen in deadline-cloud-for-houdini PR 141; Maya's startup banner
 * `Maya 2024` style, which discovery must not need because it never runs Maya).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareVersions, discoverDccs, identifyExecutable, pickInstall, type DccInstall } from './dcc-discovery';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'spool-dccs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const emptyPath = path.join(tmp, 'empty-bin');
mkdirSync(emptyPath, { recursive: true });

function script(file: string, body: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}

const posix = process.platform !== 'win32';

describe.skipIf(!posix)('discoverDccs on this machine', () => {
  it('finds Debian Blender 3.4.1 and POV-Ray 3.7 with their own version flags', async () => {
    const installs = await discoverDccs();
    const blender = installs.find((i) => i.dcc === 'blender' && i.executable === '/usr/bin/blender');
    expect(blender).toMatchObject({ version: '3.4.1', label: 'Blender 3.4.1' });
    expect(['path', 'standard']).toContain(blender?.source);
    const povray = installs.find((i) => i.dcc === 'povray');
    expect(povray?.executable).toBe('/usr/bin/povray');
    expect(povray?.version).toMatch(/^3\.7\./);
    expect(pickInstall(installs, 'blender', '3.4')?.executable).toBe('/usr/bin/blender');
  }, 30_000);
});

describe.skipIf(!posix)('discoverDccs on a fake Linux tree', () => {
  const root = path.join(tmp, 'linux-root');
  const marker = path.join(tmp, 'maya-was-run');
  // Maya has no verified version flag: running Render would be a bug, so the fake leaves a trace.
  const maya = (year: string): string =>
    script(path.join(root, `usr/autodesk/maya${year}/bin/Render`), `touch '${marker}'\necho "Maya ${year}"`);
  const maya2024 = maya('2024');
  const maya2025 = maya('2025');
  const husk = script(path.join(root, 'opt/hfs20.5.370/bin/husk'), 'echo "husk version 20.5.370"');
  const hython = script(path.join(root, 'opt/hfs20.5.370/bin/hython'), `touch '${marker}-hython'`);
  const oldHusk = script(path.join(root, 'opt/hfs19.5.569/bin/husk'), 'exit 1'); // probe fails: folder decides
  const nuke = script(path.join(root, 'usr/local/Nuke15.1v2/Nuke15.1'), `touch '${marker}-nuke'`);
  writeFileSync(path.join(root, 'usr/local/Nuke15.1v2/Nuke15.1.txt'), 'not an executable');
  const custom = script(path.join(tmp, 'apps/blender-4.2.1-linux-x64/blender'), 'printf "Blender 4.2.1\\n\\tbuild date: 2024-08-19\\n"');
  const kickDir = path.join(tmp, 'apps/Arnold-7.3.4.1-linux');
  const kick = script(path.join(kickDir, 'bin/kick'), `touch '${marker}-kick'`);

  it('finds side-by-side versions, the user paths, and runs only verified version flags', async () => {
    const installs = await discoverDccs({
      platform: 'linux',
      env: { PATH: emptyPath },
      roots: [root],
      userPaths: [custom, kickDir],
    });
    const expected: DccInstall[] = [
      { dcc: 'blender', executable: custom, version: '4.2.1', source: 'user', label: 'Blender 4.2.1' },
      { dcc: 'houdini-husk', executable: husk, version: '20.5.370', source: 'standard', label: 'Houdini 20.5.370 (husk)' },
      { dcc: 'houdini-husk', executable: oldHusk, version: '19.5.569', source: 'standard', label: 'Houdini 19.5.569 (husk)' },
      { dcc: 'houdini-hython', executable: hython, version: '20.5.370', source: 'standard', label: 'Houdini 20.5.370 (hython)' },
      { dcc: 'kick', executable: kick, version: '7.3.4.1', source: 'user', label: 'Arnold kick 7.3.4.1' },
      { dcc: 'maya', executable: maya2025, version: '2025', source: 'standard', label: 'Maya 2025' },
      { dcc: 'maya', executable: maya2024, version: '2024', source: 'standard', label: 'Maya 2024' },
      { dcc: 'nuke', executable: nuke, version: '15.1v2', source: 'standard', label: 'Nuke 15.1v2' },
    ];
    expect(installs).toEqual(expected);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-hython`)).toBe(false);
    expect(existsSync(`${marker}-nuke`)).toBe(false);
    expect(existsSync(`${marker}-kick`)).toBe(false);

    expect(pickInstall(installs, 'maya')?.executable).toBe(maya2025);
    expect(pickInstall(installs, 'maya', '2024')?.executable).toBe(maya2024);
    expect(pickInstall(installs, 'houdini-husk', '19.5')?.version).toBe('19.5.569');
    expect(pickInstall(installs, 'maya', '2023')).toBeNull();
    expect(pickInstall(installs, 'cinema4d')).toBeNull();
  }, 30_000);

  it('finds the same executable once, reached by PATH, a symlink and a standard folder', async () => {
    const bin = path.join(tmp, 'linked-bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(husk, path.join(bin, 'husk'));
    const installs = await discoverDccs({ platform: 'linux', env: { PATH: bin }, roots: [root] });
    const husks = installs.filter((i) => i.dcc === 'houdini-husk' && i.version === '20.5.370');
    expect(husks).toEqual([
      { dcc: 'houdini-husk', executable: path.join(bin, 'husk'), version: '20.5.370', source: 'path', label: 'Houdini 20.5.370 (husk)' },
    ]);
  }, 30_000);

  it('gives up on a version probe that hangs, keeping the install', async () => {
    const hungRoot = path.join(tmp, 'hung-root');
    const blender = script(path.join(hungRoot, 'opt/blender-4.1.0-linux-x64/blender'), 'exec sleep 30');
    const started = Date.now();
    const installs = await discoverDccs({ platform: 'linux', env: { PATH: emptyPath }, roots: [hungRoot], timeoutMs: 300 });
    expect(installs).toEqual([{ dcc: 'blender', executable: blender, version: '4.1.0', source: 'standard', label: 'Blender 4.1.0' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});

describe.skipIf(!posix)('discoverDccs on fake Windows and macOS trees', () => {
  it('expands {ProgramFiles} under a root, without needing execute bits on Windows', async () => {
    const root = path.join(tmp, 'win-root');
    const pf = path.join(root, 'Program Files');
    const maya = script(path.join(pf, 'Autodesk/Maya2025/bin/Render.exe'), 'exit 0', 0o644);
    const max = script(path.join(pf, 'Autodesk/3ds Max 2024/3dsmaxcmd.exe'), 'exit 0', 0o644);
    const houdini = script(path.join(pf, 'Side Effects Software/Houdini 20.5.370/bin/hython.exe'), 'exit 0', 0o644);
    const c4d = script(path.join(pf, 'Maxon Cinema 4D 2024/Commandline.exe'), 'exit 0', 0o644);
    const rs = script(path.join(root, 'ProgramData/Redshift/bin/redshiftCmdLine.exe'), 'exit 0', 0o644);
    const installs = await discoverDccs({ platform: 'win32', env: { PATH: '' }, roots: [root] });
    expect(installs.map((i) => [i.dcc, i.executable, i.version, i.source])).toEqual([
      ['3dsmax', max, '2024', 'standard'],
      ['cinema4d', c4d, '2024', 'standard'],
      ['houdini-hython', houdini, '20.5.370', 'standard'],
      ['maya', maya, '2025', 'standard'],
      ['redshift', rs, null, 'standard'],
    ]);
  }, 30_000);

  it('finds Blender.app once though two table rows name it', async () => {
    const root = path.join(tmp, 'mac-root');
    const blender = script(path.join(root, 'Applications/Blender.app/Contents/MacOS/Blender'), 'echo "Blender 4.2.0"');
    const installs = await discoverDccs({ platform: 'darwin', env: { PATH: emptyPath }, roots: [root] });
    expect(installs).toEqual([{ dcc: 'blender', executable: blender, version: '4.2.0', source: 'standard', label: 'Blender 4.2.0' }]);
  }, 30_000);
});

describe('identifyExecutable', () => {
  it('names the DCC of an executable the user points at', () => {
    expect(identifyExecutable('/usr/local/Nuke15.1v2/Nuke15.1', 'linux')).toBe('nuke');
    expect(identifyExecutable('/usr/autodesk/maya2025/bin/Render', 'linux')).toBe('maya');
    expect(identifyExecutable('C:\\Program Files\\Autodesk\\3ds Max 2024\\3dsmaxcmd.exe', 'win32')).toBe('3dsmax');
    expect(identifyExecutable('/opt/hfs20.5/bin/hython', 'linux')).toBe('houdini-hython');
    expect(identifyExecutable('/usr/bin/gimp', 'linux')).toBeNull();
  });
});

describe('versions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('3.10.0', '3.9.9')).toBeGreaterThan(0);
    expect(compareVersions('15.1v2', '15.1v1')).toBeGreaterThan(0);
    expect(compareVersions('4.2', '4.2.0')).toBeLessThan(0);
    expect(compareVersions('2025', '2025')).toBe(0);
  });

  const at = (dcc: string, version: string | null, executable = `/x/${dcc}-${version}`): DccInstall => ({
    dcc,
    executable,
    version,
    source: 'standard',
    label: `${dcc} ${version}`,
  });
  it('picks the newest, or the newest matching a version prefix at a part boundary', () => {
    const installs = [at('blender', '3.6.5'), at('blender', '3.60.1'), at('blender', '4.1.1'), at('blender', null), at('nuke', '15.1v2')];
    expect(pickInstall(installs, 'blender')?.version).toBe('4.1.1');
    expect(pickInstall(installs, 'blender', '3.6')?.version).toBe('3.6.5');
    expect(pickInstall(installs, 'blender', '4')?.version).toBe('4.1.1');
    expect(pickInstall(installs, 'nuke', '15.1')?.version).toBe('15.1v2');
    expect(pickInstall([at('kick', null)], 'kick')?.version).toBeNull();
    expect(pickInstall([at('kick', null)], 'kick', '7')).toBeNull();
  });
});
