/**
 * The nvidia-smi CSV below is shaped like recorded public output of the same query with
 * `--format=csv,noheader,nounits` (e.g. `0, NVIDIA GeForce RTX 4090, 24564, 12282, ...` and
 * `1, NVIDIA GeForce RTX 3090, 24576, ...` in public monitoring docs and tests; driver 550.54.14
 * from a public test fixture `NVIDIA GeForce RTX 4090, 24564, 550.54.14`). UUIDs are made up in
 * nvidia-smi's `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` form.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectHardware, mergeGpus, parseGpuLoadCsv, parseNvidiaSmiCsv, resolveNvidiaSmi, sampleGpuLoad } from './hardware';

const MIB = 1024 * 1024;
const TWO_GPUS = [
  '0, NVIDIA GeForce RTX 4090, 24564, 550.54.14, GPU-6f3c1a2e-8b1d-4c55-9a0e-2d7f41c0b9aa',
  '1, NVIDIA GeForce RTX 3090, 24576, 550.54.14, GPU-0b8e77d4-13a2-4f6e-bc61-95e2d3a7c410',
  '',
].join('\n');

describe('parseNvidiaSmiCsv', () => {
  it('reads two GPUs with CUDA index, VRAM in bytes, driver and UUID', () => {
    expect(parseNvidiaSmiCsv(TWO_GPUS)).toEqual([
      {
        index: 0,
        vendor: 'NVIDIA',
        model: 'NVIDIA GeForce RTX 4090',
        vramBytes: 24564 * MIB,
        driver: '550.54.14',
        uuid: 'GPU-6f3c1a2e-8b1d-4c55-9a0e-2d7f41c0b9aa',
      },
      {
        index: 1,
        vendor: 'NVIDIA',
        model: 'NVIDIA GeForce RTX 3090',
        vramBytes: 24576 * MIB,
        driver: '550.54.14',
        uuid: 'GPU-0b8e77d4-13a2-4f6e-bc61-95e2d3a7c410',
      },
    ]);
  });

  it('copes with Windows line ends, [N/A] fields, a header, units and a comma in a name', () => {
    const text = [
      'index, name, memory.total [MiB], driver_version, uuid',
      '1, Tesla K80, [N/A], 470.82.01, [N/A]\r',
      '0, NVIDIA RTX A6000, 49140 MiB, 535.104.05, GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\r',
      '2, Odd, Name, 8192, 535.104.05, GPU-ffffffff-0000-1111-2222-333333333333',
    ].join('\n');
    expect(parseNvidiaSmiCsv(text)).toEqual([
      { index: 0, vendor: 'NVIDIA', model: 'NVIDIA RTX A6000', vramBytes: 49140 * MIB, driver: '535.104.05', uuid: 'GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
      { index: 1, vendor: 'NVIDIA', model: 'Tesla K80', vramBytes: null, driver: '470.82.01' },
      { index: 2, vendor: 'NVIDIA', model: 'Odd, Name', vramBytes: 8192 * MIB, driver: '535.104.05', uuid: 'GPU-ffffffff-0000-1111-2222-333333333333' },
    ]);
  });

  it('reads nothing from an error message', () => {
    // Printed by nvidia-smi when the driver is not loaded.
    expect(parseNvidiaSmiCsv("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).toEqual([]);
    expect(parseNvidiaSmiCsv('')).toEqual([]);
  });
});

describe('parseGpuLoadCsv', () => {
  it('reads utilization as a fraction and memory used in bytes', () => {
    expect(parseGpuLoadCsv('0, 87, 20311\n1, [Not Supported], 1\n')).toEqual([
      { index: 0, utilization: 0.87, memoryUsedBytes: 20311 * MIB },
      { index: 1, utilization: null, memoryUsedBytes: 1 * MIB },
    ]);
  });
});

describe('mergeGpus', () => {
  const controller = (vendor: string, model: string, vram: number | null, vramDynamic = false) =>
    ({ vendor, model, bus: 'PCIe', vram, vramDynamic }) as Parameters<typeof mergeGpus>[1][number];

  it("keeps nvidia-smi's NVIDIA GPUs, drops the same cards and virtual adapters from systeminformation", () => {
    const nvidia = parseNvidiaSmiCsv(TWO_GPUS);
    const merged = mergeGpus(nvidia, [
      controller('NVIDIA', 'AD102 [GeForce RTX 4090]', 24564),
      controller('NVIDIA Corporation', 'GA102 [GeForce RTX 3090]', 24576),
      controller('Microsoft', 'Microsoft Basic Render Driver', null),
      controller('VMware', 'SVGA II Adapter', 8),
      controller('ASPEED Technology, Inc.', 'ASPEED Graphics Family', 64),
      controller('Mesa', 'llvmpipe (LLVM 15.0.6, 256 bits)', null),
      controller('Advanced Micro Devices, Inc. [AMD/ATI]', 'Radeon Pro W7800', 32768),
      controller('Intel Corporation', 'UHD Graphics 770', 128, true),
    ]);
    expect(merged.map((g) => [g.index, g.vendor, g.model, g.vramBytes])).toEqual([
      [0, 'NVIDIA', 'NVIDIA GeForce RTX 4090', 24564 * MIB],
      [1, 'NVIDIA', 'NVIDIA GeForce RTX 3090', 24576 * MIB],
      [2, 'Advanced Micro Devices, Inc. [AMD/ATI]', 'Radeon Pro W7800', 32768 * MIB],
      [3, 'Intel Corporation', 'UHD Graphics 770', null],
    ]);
  });

  it('keeps NVIDIA cards systeminformation saw when nvidia-smi is missing', () => {
    expect(mergeGpus([], [controller('NVIDIA', 'GeForce GTX 1080', 8192)])).toEqual([
      { index: 0, vendor: 'NVIDIA', model: 'GeForce GTX 1080', vramBytes: 8192 * MIB, driver: null },
    ]);
  });
});

describe('detectHardware on this machine', () => {
  it('finds CPU cores and memory, and no GPU here', async () => {
    const hw = await detectHardware({ env: { ...process.env, PATH: '/nonexistent' } });
    expect(hw.cpu.logicalCores).toBeGreaterThan(0);
    expect(hw.cpu.physicalCores).toBeGreaterThan(0);
    expect(hw.cpu.model.length).toBeGreaterThan(0);
    expect(hw.memory.totalBytes).toBeGreaterThan(0);
    expect(hw.gpus).toEqual([]);
    expect(Math.abs(hw.detectedAt - Date.now())).toBeLessThan(60_000);
  }, 30_000);
});

describe('with a fake nvidia-smi on PATH', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-smi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (sub: string, body: string): NodeJS.ProcessEnv => {
    const bin = path.join(dir, sub);
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin, { recursive: true });
    const file = path.join(bin, 'nvidia-smi');
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  };

  const answers = fake(
    'ok',
    [
      'case "$*" in',
      `  *utilization.gpu*) printf '0, 87, 20311\\n1, 0, 1\\n' ;;`,
      `  *memory.total*) printf '${TWO_GPUS.trim().replace(/\n/g, '\\n')}\\n' ;;`,
      '  *) exit 2 ;;',
      'esac',
    ].join('\n'),
  );

  it('is found on PATH', () => {
    expect(resolveNvidiaSmi({ env: answers })).toBe(path.join(dir, 'ok', 'nvidia-smi'));
    expect(resolveNvidiaSmi({ env: { PATH: '/nonexistent' } })).toBeNull();
  });

  it('reports two GPUs with VRAM', async () => {
    const hw = await detectHardware({ env: answers });
    expect(hw.gpus.map((g) => [g.index, g.model, g.vramBytes, g.uuid])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', 24564 * MIB, 'GPU-6f3c1a2e-8b1d-4c55-9a0e-2d7f41c0b9aa'],
      [1, 'NVIDIA GeForce RTX 3090', 24576 * MIB, 'GPU-0b8e77d4-13a2-4f6e-bc61-95e2d3a7c410'],
    ]);
  }, 30_000);

  it('also answers by explicit path, and samples live load', async () => {
    const file = path.join(dir, 'ok', 'nvidia-smi');
    expect((await detectHardware({ nvidiaSmi: file })).gpus).toHaveLength(2);
    expect(await sampleGpuLoad({ nvidiaSmi: file })).toEqual([
      { index: 0, utilization: 0.87, memoryUsedBytes: 20311 * MIB },
      { index: 1, utilization: 0, memoryUsedBytes: 1 * MIB },
    ]);
  }, 30_000);

  it('treats a failing nvidia-smi as no NVIDIA GPU, without throwing', async () => {
    const env = fake('broken', `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."; exit 9`);
    expect((await detectHardware({ env })).gpus).toEqual([]);
    expect(await sampleGpuLoad({ env })).toEqual([]);
  }, 30_000);

  it('gives up on a hung nvidia-smi within the timeout', async () => {
    const env = fake('hung', 'exec sleep 30');
    const started = Date.now();
    const hw = await detectHardware({ env, timeoutMs: 500 });
    expect(hw.gpus).toEqual([]);
    expect(hw.cpu.logicalCores).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
