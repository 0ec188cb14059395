import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, SettingsDto } from '../src-preload/contract';
import { createDispatcher, type Dispatcher } from '../src-main/api/dispatch';
import { Engine } from '../src-main/engine/engine';
import { CLI, tempDir } from './helpers/fake-dcc';

/**
 * `spool dccs add PATH` and Settings (`settings.set`) check a user's executable with one function
 * (engine/executables.ts): each case goes through the real CLI and the real dispatcher, and both
 * must refuse or accept it with the same message.
 */

function script(file: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, mode);
  return file;
}

function cliAdd(dataDir: string, file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, 'dccs', 'add', file], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('one check for a user executable, from the CLI and from Settings', () => {
  const dir = tempDir('spool-userexe-');
  let engine: Engine;
  let dispatch: Dispatcher;
  beforeAll(async () => {
    engine = await Engine.start({ dataDir: path.join(dir, 'api-data'), killGraceMs: 500 });
    dispatch = createDispatcher(engine, { mode: 'browser', detectors: { dccs: async () => [] }, onInternalError: () => undefined });
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const vray = script(path.join(dir, 'chaos', 'bin', 'vray'));
  const redshift = script(path.join(dir, 'redshift', 'bin', 'redshiftCmdLine'));
  const notes = script(path.join(dir, 'tools', 'notes'));
  const readOnly = script(path.join(dir, 'maya2025', 'bin', 'Render.txt'), 0o644);
  const missing = path.join(dir, 'gone', 'blender');

  // The dcc Settings sends is the one the file's name gives (what the CLI infers).
  const refused: [string, string, 'dcc' | 'executable', string][] = [
    [vray, 'vray', 'dcc', 'V-Ray Standalone is found, but not supported yet: Spool has no adapter for it; render its scenes through Autodesk Maya, Houdini (hython, ROP), Maxon Cinema 4D'],
    [redshift, 'redshift', 'dcc', 'Redshift is found, but not supported yet: Spool has no adapter for it; render its scenes through Autodesk Maya, Houdini (hython, ROP), Maxon Cinema 4D'],
    [missing, 'blender', 'executable', `no such file: ${missing}`],
    [readOnly, 'maya', 'executable', `${readOnly} is not an executable file`],
  ];

  it.each(refused)('refuses %s with the same message', async (file, dcc, part, message) => {
    const cli = cliAdd(path.join(dir, 'cli-data'), file);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`spool: PATH: ${message}\n`);
    const api = (await dispatch('settings.set', { userExecutables: [{ dcc, executable: file }] })) as CommandResult<SettingsDto>;
    const field = `userExecutables.0.${part}`;
    expect(api).toMatchObject({ ok: false, error: { code: 'invalid', field, message: `${field}: ${message}` } });
  });

  it('names what it knows when the CLI cannot tell the DCC from the name', () => {
    const cli = cliAdd(path.join(dir, 'cli-data'), notes);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe('spool: PATH: notes is not a DCC executable Spool knows (blender, Render, hython, husk, nuke, Commandline, 3dsmaxcmd, kick, povray)\n');
  });

  it('accepts a DCC it has an adapter for, from both faces', async () => {
    const render = script(path.join(dir, 'usr', 'autodesk', 'maya2025', 'bin', 'Render'));
    expect(cliAdd(path.join(dir, 'cli-data'), render)).toMatchObject({ code: 0, stdout: `maya: ${render}\n` });
    const api = (await dispatch('settings.set', { userExecutables: [{ dcc: 'maya', executable: render }] })) as CommandResult<SettingsDto>;
    expect(api).toMatchObject({ ok: true, value: { userExecutables: [{ dcc: 'maya', executable: render }] } });
  });
});
