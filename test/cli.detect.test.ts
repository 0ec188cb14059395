import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/** Issue 4's "done when", through the real CLI on this machine. */
function script(file: string, body: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('spool devices', () => {
  it('lists the CPU and memory and no GPU on this machine', () => {
    const r = spoolSync(path.join(tempDir(), 'd'), ['devices', '--json']);
    expect(r.code).toBe(0);
    const hw = JSON.parse(r.stdout);
    expect(hw.cpu.logicalCores).toBeGreaterThan(0);
    expect(hw.cpu.physicalCores).toBeGreaterThan(0);
    expect(hw.memory.totalBytes).toBeGreaterThan(0);
    expect(hw.gpus).toEqual([]);
  });

  it('lists two GPUs with VRAM from an nvidia-smi on PATH (fed with recorded CSV output)', () => {
    const dir = tempDir();
    // Recorded shape of `nvidia-smi --query-gpu=index,name,memory.total,driver_version,uuid --format=csv,noheader,nounits`.
    script(
      path.join(dir, 'bin', 'nvidia-smi'),
      `cat <<'CSV'
0, NVIDIA GeForce RTX 4090, 24564, 550.54.14, GPU-5f3a9c2e-1b7d-4c1e-9a0b-3d2e1f4c5b6a
1, NVIDIA RTX A6000, 49140, 550.54.14, GPU-8e1d2c3b-4a5f-6e7d-8c9b-0a1b2c3d4e5f
CSV`,
    );
    const env = { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
    const hw = JSON.parse(spoolSync(path.join(dir, 'd'), ['devices', '--json'], { env }).stdout);
    expect(hw.gpus.map((g: { index: number; model: string; vramBytes: number }) => [g.index, g.model, g.vramBytes])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', 24564 * 1024 * 1024],
      [1, 'NVIDIA RTX A6000', 49140 * 1024 * 1024],
    ]);
  });
});

describe('spool dccs', () => {
  it("finds Debian's Blender 3.4.1 and POV-Ray 3.7", () => {
    const r = spoolSync(path.join(tempDir(), 'd'), ['dccs', '--json']);
    expect(r.code).toBe(0);
    const installs = JSON.parse(r.stdout) as { dcc: string; version: string; executable: string }[];
    expect(installs.find((i) => i.dcc === 'blender')).toMatchObject({ version: '3.4.1' });
    expect(installs.find((i) => i.dcc === 'povray')?.version).toMatch(/^3\.7/);
  });

  it('keeps Maya 2024 and 2025 side by side once added, newest first', () => {
    const dir = tempDir();
    const data = path.join(dir, 'd');
    for (const year of ['2024', '2025']) {
      const render = script(path.join(dir, 'usr', 'autodesk', `maya${year}`, 'bin', 'Render'), 'exit 0');
      expect(spoolSync(data, ['dccs', 'add', render]).stdout).toBe(`maya: ${render}\n`);
    }
    const installs = JSON.parse(spoolSync(data, ['dccs', '--json']).stdout) as { dcc: string; version: string; source: string }[];
    expect(installs.filter((i) => i.dcc === 'maya').map((i) => [i.version, i.source])).toEqual([
      ['2025', 'user'],
      ['2024', 'user'],
    ]);
  });

  it('refuses to add what is not a known DCC, saying why', () => {
    const dir = tempDir();
    const notes = script(path.join(dir, 'notes'), 'exit 0');
    const r = spoolSync(path.join(dir, 'd'), ['dccs', 'add', notes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a DCC executable Spool knows');
  });
});

describe('POV-Ray for real', () => {
  it('renders a frame range through spool submit', () => {
    const dir = tempDir('spool-pov-');
    const scene = path.join(dir, 'anim scene.pov');
    writeFileSync(
      scene,
      `camera { location <0, 2, -5> look_at <0, 0, 0> }
light_source { <2, 4, -3> color rgb 1 }
sphere { <clock * 2 - 1, 0, 0>, 1 pigment { color rgb <1, 0.4, 0.1> } }
`,
    );
    writeFileSync(path.join(dir, 'povray.ini'), 'Width=32\nHeight=24\n');
    const r = spoolSync(path.join(dir, 'd'), ['submit', scene, '--frames', '1-4', '--chunk', '2', '--output', path.join(dir, 'out', 'ball_####.png'), '--wait', '--json']);
    expect(r.code).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.status).toBe('succeeded');
    expect(job.frames.map((f: { status: string }) => f.status)).toEqual(['done', 'done', 'done', 'done']);
    const files = readdirSync(path.join(dir, 'out')).sort();
    expect(files).toEqual(['ball_0001.png', 'ball_0002.png', 'ball_0003.png', 'ball_0004.png']);
    for (const file of files) expect(statSync(path.join(dir, 'out', file)).size).toBeGreaterThan(0);
  });
});
