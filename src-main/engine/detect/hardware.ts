/**
 * What the workstation can render on: CPU, memory and GPUs. The scheduler sizes its slots from
 * this (one task per GPU, CPU threads without oversubscribing), so it must answer on any machine,
 * a GPU-less container included, and never throw: a probe that fails only leaves its part empty.
 */
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Both loaded when first used: together they are a third of the CLI bundle, and most commands never detect.
import type si from 'systeminformation';

export interface GpuInfo {
  /** CUDA index for NVIDIA GPUs (nvidia-smi numbering; adapters set CUDA_DEVICE_ORDER=PCI_BUS_ID to match), else order. */
  index: number;
  vendor: string;
  model: string;
  vramBytes: number | null;
  driver: string | null;
  uuid?: string;
}

export interface HardwareInfo {
  cpu: { model: string; vendor: string; physicalCores: number; logicalCores: number; speedGHz: number | null };
  memory: { totalBytes: number };
  gpus: GpuInfo[];
  detectedAt: number;
}

export interface GpuLoad {
  index: number;
  /** 0..1, null when the driver does not report it. */
  utilization: number | null;
  memoryUsedBytes: number | null;
}

export interface NvidiaSmiOptions {
  /** Path, or a name looked up on PATH. Default `nvidia-smi`. */
  nvidiaSmi?: string;
  /** Per probe. Default 5000 ms. */
  timeoutMs?: number;
  /** Whose PATH to search (tests put a fake nvidia-smi first on it). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

const MIB = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5000;
/** `index,name,memory.total,driver_version,uuid`: memory in MiB with `nounits`. */
export const GPU_QUERY = ['--query-gpu=index,name,memory.total,driver_version,uuid', '--format=csv,noheader,nounits'];
export const LOAD_QUERY = ['--query-gpu=index,utilization.gpu,memory.used', '--format=csv,noheader,nounits'];

/** nvidia-smi prints `[N/A]` or `[Not Supported]` for a field a GPU or driver does not report. */
function field(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' || /^\[.*\]$/.test(v) || /^N\/A$/i.test(v) ? null : v;
}

function number(value: string | undefined): number | null {
  const v = field(value);
  if (v === null) return null;
  const n = Number.parseFloat(v); // tolerates a `MiB` or `%` left by a query without nounits
  return Number.isFinite(n) ? n : null;
}

/** Parses `nvidia-smi --query-gpu=index,name,memory.total,driver_version,uuid --format=csv,noheader,nounits`. */
export function parseNvidiaSmiCsv(text: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.length < 4) continue;
    const index = Number(parts[0]);
    if (!Number.isInteger(index) || index < 0) continue; // a header line, a warning
    // Read from both ends so a comma inside a model name cannot shift the columns.
    const hasUuid = parts.length >= 5;
    const uuid = hasUuid ? field(parts[parts.length - 1]) : null;
    const tail = hasUuid ? parts.length - 1 : parts.length;
    const driver = field(parts[tail - 1]);
    const mib = number(parts[tail - 2]);
    const model = parts.slice(1, tail - 2).join(', ').trim(); // nvidia-smi separates columns with ", "
    if (!model) continue;
    gpus.push({
      index,
      vendor: 'NVIDIA',
      model,
      vramBytes: mib === null ? null : Math.round(mib * MIB),
      driver,
      ...(uuid ? { uuid } : {}),
    });
  }
  return gpus.sort((a, b) => a.index - b.index);
}

/** Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader,nounits`. */
export function parseGpuLoadCsv(text: string): GpuLoad[] {
  const loads: GpuLoad[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.length < 3) continue;
    const index = Number(parts[0]);
    if (!Number.isInteger(index) || index < 0) continue;
    const pct = number(parts[1]);
    const mib = number(parts[2]);
    loads.push({
      index,
      utilization: pct === null ? null : Math.min(Math.max(pct / 100, 0), 1),
      memoryUsedBytes: mib === null ? null : Math.round(mib * MIB),
    });
  }
  return loads.sort((a, b) => a.index - b.index);
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nvidia-smi to run, or null when there is none (no NVIDIA driver: no NVIDIA GPUs, not an error). */
export function resolveNvidiaSmi(opts: NvidiaSmiOptions = {}): string | null {
  const name = opts.nvidiaSmi ?? 'nvidia-smi';
  if (name.includes('/') || name.includes('\\')) return isExecutableFile(name) ? path.resolve(name) : null;
  const env = opts.env ?? process.env;
  const win = process.platform === 'win32';
  const exts = win ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  // The Windows driver installs nvidia-smi in System32, which a service's PATH may lack.
  if (win) dirs.push(path.join(env.SystemRoot ?? 'C:\\Windows', 'System32'));
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

type SmiResult = { ok: true; stdout: string } | { ok: false; timedOut: boolean };

async function runNvidiaSmi(args: string[], opts: NvidiaSmiOptions): Promise<SmiResult> {
  const file = resolveNvidiaSmi(opts);
  if (!file) return { ok: false, timedOut: false };
  try {
    const { execa } = await import('execa');
    const r = await execa(file, args, {
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      stdin: 'ignore',
      reject: false,
      windowsHide: true,
      env: opts.env,
      extendEnv: opts.env === undefined,
    });
    if (r.timedOut) return { ok: false, timedOut: true };
    return r.exitCode === 0 ? { ok: true, stdout: String(r.stdout) } : { ok: false, timedOut: false };
  } catch {
    return { ok: false, timedOut: false };
  }
}

/** Live load per NVIDIA GPU, for the devices view; empty without nvidia-smi. Never throws. */
export async function sampleGpuLoad(opts: NvidiaSmiOptions = {}): Promise<GpuLoad[]> {
  const r = await runNvidiaSmi(LOAD_QUERY, opts);
  return r.ok ? parseGpuLoadCsv(r.stdout) : [];
}

/**
 * Display-only and emulated adapters: hypervisor and remote-desktop framebuffers, software
 * rasterisers, and server BMC chips (ASPEED, Matrox G200) that drive a console but render nothing.
 */
const NOT_A_RENDER_GPU =
  /microsoft basic|basic (?:display|render)|remote display|indirect display|mirror driver|gdi generic|vmware|virtualbox|vbox|parallels|citrix|hyper-v|qxl|virtio|red hat|bochs|cirrus|llvmpipe|softpipe|swiftshader|standard vga|spice|aspeed|matrox.*g200/i;

async function settle<T>(work: () => Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work().catch(() => fallback),
      new Promise<T>((resolve) => {
        timer = setTimeout(() => resolve(fallback), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

type Controller = si.Systeminformation.GraphicsControllerData;

function fromController(c: Controller): Omit<GpuInfo, 'index'> {
  const vram = typeof c.vram === 'number' && c.vram > 0 && !c.vramDynamic ? c.vram * MIB : null; // si reports MB
  return {
    vendor: (c.vendor || '').trim() || 'unknown',
    model: (c.model || c.name || '').trim() || 'unknown GPU',
    vramBytes: vram,
    driver: c.driverVersion?.trim() || null,
  };
}

/** Merges nvidia-smi's GPUs (CUDA indices, exact VRAM) with systeminformation's other controllers. */
export function mergeGpus(nvidia: GpuInfo[], controllers: Controller[]): GpuInfo[] {
  const others = controllers
    .map(fromController)
    .filter((g) => !NOT_A_RENDER_GPU.test(`${g.vendor} ${g.model}`))
    // nvidia-smi sees every GPU the NVIDIA driver drives; the same cards from lspci/WMI would count twice.
    .filter((g) => nvidia.length === 0 || !/nvidia/i.test(`${g.vendor} ${g.model}`));
  const first = nvidia.length > 0 ? Math.max(...nvidia.map((g) => g.index)) + 1 : 0;
  return [...nvidia, ...others.map((g, i) => ({ ...g, index: first + i }))];
}

export async function detectHardware(opts: NvidiaSmiOptions = {}): Promise<HardwareInfo> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { default: si } = await import('systeminformation');
  const [cpu, mem, smi] = await Promise.all([
    settle(() => si.cpu(), timeoutMs, null),
    settle(() => si.mem(), timeoutMs, null),
    runNvidiaSmi(GPU_QUERY, opts),
  ]);
  // systeminformation runs nvidia-smi itself, synchronously and without a timeout; when ours just
  // hung, a wedged driver would freeze the whole engine there, so its controller list is skipped.
  const wedged = !smi.ok && smi.timedOut;
  const graphics = wedged ? null : await settle(() => si.graphics(), timeoutMs, null);

  const cpus = os.cpus();
  const logical = cpu?.cores || cpus.length || os.availableParallelism();
  const speed = cpu?.speedMax || cpu?.speed || (cpus[0]?.speed ? cpus[0].speed / 1000 : 0);
  const siModel = [cpu?.manufacturer, cpu?.brand].filter(Boolean).join(' ').trim();
  return {
    cpu: {
      model: siModel || cpus[0]?.model?.trim() || 'unknown CPU',
      vendor: cpu?.vendor || cpu?.manufacturer || 'unknown',
      physicalCores: cpu?.physicalCores || logical,
      logicalCores: logical,
      speedGHz: speed > 0 ? Math.round(speed * 100) / 100 : null,
    },
    memory: { totalBytes: mem?.total || os.totalmem() },
    gpus: mergeGpus(smi.ok ? parseNvidiaSmiCsv(smi.stdout) : [], graphics?.controllers ?? []),
    detectedAt: Date.now(),
  };
}
