/**
 * Houdini cannot run here. The render call is the one deadline-cloud-for-houdini's
 * houdini_handler.py makes (`node.render(verbose=True, frame_range=(start, end, step), ...)`);
 * keyword names are checked against SideFX HDK's HOM_RopNode::render declaration (frame_range,
 * output_file, verbose, output_progress). `hython -c "..."` is how public scripts run code in hython.
 * The script itself runs here under python3 against a stand-in `hou` module.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { HYTHON_SCRIPT, createHythonParser, hythonAdapter } from './houdini-hython';

const base: RenderChunk = {
  scene: '/shots/sh010/fx_v012.hip',
  frames: [1, 2, 3],
  output: '/renders/sh010/fx.####.exr',
  device: { kind: 'cpu', threads: 16 },
  overrides: { layer: '/out/karma1' },
};

describe('hythonAdapter.buildCommand', () => {
  it('passes the job as one JSON argument after the script, never spliced into it', () => {
    const cmd = hythonAdapter.buildCommand(base, '/opt/hfs20.5.370/bin/hython');
    expect(cmd).toEqual({
      file: '/opt/hfs20.5.370/bin/hython',
      args: [
        '-c',
        HYTHON_SCRIPT,
        JSON.stringify({ scene: '/shots/sh010/fx_v012.hip', rop: '/out/karma1', range: [1, 3, 1], output: '/renders/sh010/fx.$F4.exr' }),
      ],
      env: { HOUDINI_MAXTHREADS: '16' },
    });
    expect(HYTHON_SCRIPT).not.toContain('/out/karma1');
  });

  it('prefers an explicit rop override and confines a GPU slot to its GPU', () => {
    const chunk: RenderChunk = {
      ...base,
      frames: [10, 20],
      output: null,
      device: { kind: 'gpu', index: 0 },
      overrides: { layer: 'ignored', rop: '/stage/usdrender_rop1' } as RenderChunk['overrides'],
    };
    const cmd = hythonAdapter.buildCommand(chunk, 'hython');
    expect(JSON.parse(cmd.args[2]!)).toEqual({ scene: base.scene, rop: '/stage/usdrender_rop1', range: [10, 20, 10], output: null });
    expect(cmd.env).toEqual({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '0' });
  });

  it('refuses a job without a ROP', () => {
    expect(hythonAdapter.validate!({ scene: '/a.hip', output: null, overrides: {} })).toMatch(/ROP/);
    expect(hythonAdapter.validate!({ scene: '/a.hip', output: null, overrides: { layer: '/out/mantra1' } })).toBeNull();
  });
});

const havePython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!havePython)('the hython script, run by python3 against a stand-in hou', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-hou-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'hou.py'),
    [
      'import json',
      'class LoadWarning(Exception): pass',
      'class _hipFile:',
      '    def load(self, path, suppress_save_prompt=False, ignore_load_warnings=False):',
      '        print("LOAD " + json.dumps([path, suppress_save_prompt, ignore_load_warnings]))',
      'hipFile = _hipFile()',
      'class _Rop:',
      '    def __init__(self, p): self._p = p',
      '    def path(self): return self._p',
      '    def render(self, **kw): print("RENDER " + json.dumps(kw, sort_keys=True))',
      'def node(p): return _Rop(p) if p.startswith("/out/") else None',
    ].join('\n'),
  );
  const run = (job: unknown): { out: string; code: number } => {
    try {
      const out = execFileSync('python3', ['-c', HYTHON_SCRIPT, JSON.stringify(job)], {
        env: { ...process.env, PYTHONPATH: dir },
        encoding: 'utf8',
      });
      return { out, code: 0 };
    } catch (err) {
      const e = err as { stdout: string; status: number };
      return { out: e.stdout, code: e.status };
    }
  };

  it('loads the scene and renders the range with verbose progress, hostile names staying data', () => {
    const scene = `/shots/it's "odd"\\"); import os; os.system('x')/a.hip`;
    const { out, code } = run({ scene, rop: '/out/karma1', range: [1, 9, 2], output: '/r/fx.$F4.exr' });
    expect(code).toBe(0);
    const [load, render, done] = out.trim().split('\n');
    expect(JSON.parse(load!.replace(/^LOAD /, ''))).toEqual([scene, true, true]);
    expect(JSON.parse(render!.replace(/^RENDER /, ''))).toEqual({
      frame_range: [1, 9, 2],
      output_file: '/r/fx.$F4.exr',
      output_progress: true,
      verbose: true,
    });
    expect(done).toBe('Spool: Finished Rendering /out/karma1');
  });

  it('exits 3 with an error line the parser fails on when the ROP does not exist', () => {
    const { out, code } = run({ scene: '/a.hip', rop: '/obj/nope', range: [1, 1, 1], output: null });
    expect(code).toBe(3);
    const line = out.trim().split('\n').pop()!;
    expect(line).toBe('Spool: Error: no ROP node at /obj/nope');
    expect(createHythonParser(base).parse(line)[0]).toMatchObject({ type: 'error', fatal: true, retryable: false });
  });
});

describe('hython output parser', () => {
  it('reads the verbose ROP frame line (deadline-cloud-for-houdini PR 141) and the older form (CGRU hbatch.py)', () => {
    const p = createHythonParser(base);
    expect(p.parse('21:17:04  rop_usdrender frame 2')).toEqual([{ type: 'frame-start', frame: 2 }]);
    expect(p.parse('ALF_PROGRESS 40%')).toEqual([{ type: 'progress', frame: 2, fraction: 0.4 }]);
    expect(p.parse('RopNode.render: frame 3')).toEqual([{ type: 'frame-start', frame: 3 }]);
  });

  it("reads Mantra's Generating Image line for the expected file (CGRU mantra.py)", () => {
    expect(createHythonParser(base).parse('Generating Image: /renders/sh010/fx.0002.exr (1920x1080)')).toEqual([
      { type: 'frame-saved', frame: 2, path: '/renders/sh010/fx.0002.exr' },
    ]);
  });

  it('fails on licence lines and Houdini exceptions', () => {
    const p = createHythonParser(base);
    expect(p.parse('Please check for a valid license server host')[0]).toMatchObject({ fatal: true, retryable: false });
    expect(p.parse('hou.OperationFailed: The attempted operation failed.')[0]).toMatchObject({ fatal: true, retryable: true });
    expect(p.parse('Traceback (most recent call last):')[0]).toMatchObject({ fatal: false });
  });
});
