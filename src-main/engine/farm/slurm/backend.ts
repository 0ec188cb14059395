import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FarmBackend, FarmCheck, FarmJobRef, FarmJobSpec, FarmTask } from '../backend';
import { FarmUnreachable } from '../backend';
import { toFarm } from '../path-map';
import type { SlurmProfile } from '../profile';
import { slurm, type SlurmEnv } from './slurm-cli';
import { arrayIdForTag, elementsOf, parseSqueue, type ElementStatus } from './squeue';
import { WRAPPER_SCRIPT } from './wrapper';

/** What a hand-off leaves on shared storage, read back by tasks() after Slurm forgot the job. */
interface SubmissionFile {
  tag: string;
  chunks: { index: number; frames: number[] }[];
}

/**
 * Slurm 22.05 as a farm: one array job per hand-off (one element per chunk), argv passed through
 * files and a wrapper, status from squeue --json plus the wrapper's exit files, logs from the
 * per-element --output files on shared storage. Every client call is an argv array.
 */
export class SlurmBackend implements FarmBackend {
  readonly kind = 'slurm' as const;
  private readonly context: SlurmEnv;

  constructor(
    private readonly profile: SlurmProfile,
    /** SLURM_CONF and the like for the client tools. */
    env: Record<string, string> = {},
  ) {
    this.context = { farm: profile.name, env };
  }

  /** Where hand-offs keep their files, seen from here: a shared folder of the profile's first mapping. */
  workRoot(): string {
    const first = this.profile.pathMap[0];
    if (!first) throw new Error(`farm ${this.profile.name} has no path mapping: Spool needs a shared folder for its logs (--path-map LOCAL=FARM)`);
    return path.join(first.local, '.spool-farm');
  }

  dirOf(tag: string): string {
    return path.join(this.workRoot(), tag);
  }

  logFile(tag: string, chunkIndex: number): string {
    return path.join(this.dirOf(tag), `element-${chunkIndex}.log`);
  }

  seeInFarm(ref: FarmJobRef): string {
    return `squeue -r -j ${ref.farmJobId}   (or: scontrol show job ${ref.farmJobId})`;
  }

  async check(): Promise<FarmCheck> {
    const findings: string[] = [];
    let version: string | undefined;
    try {
      version = (await slurm(this.context, 'sinfo', ['--version'])).trim();
      const partitions = await slurm(this.context, 'sinfo', ['-h', '-o', '%P %a %D %t']);
      findings.push(`ok: the controller answers (${version}); partitions: ${partitions.split('\n').filter(Boolean).join('; ')}`);
    } catch (error) {
      return { ok: false, version, findings: [`not ok: ${(error as Error).message}`] };
    }
    if (this.profile.pathMap.length === 0) {
      findings.push('not ok: no path mapping: scenes, outputs and logs need a folder both sides share (--path-map LOCAL=FARM)');
      return { ok: false, version, findings };
    }
    const probe = `.spool-check-${randomUUID().slice(0, 8)}`;
    const script = path.join(os.tmpdir(), `spool-farm-check-${probe}.sh`);
    writeFileSync(script, '#!/bin/bash\nprobe="$1"; shift\nfor p in "$@"; do [ -d "$p" ] && : > "$p/$probe"; done\nexit 0\n', { mode: 0o700 });
    try {
      await slurm(this.context, 'sbatch', ['--wait', '--quiet', '--output=/dev/null', `--job-name=spool-check`, ...this.placement(), script, probe, ...this.profile.pathMap.map((m) => m.farm)]);
    } catch (error) {
      findings.push(`not ok: a test job did not run: ${(error as Error).message}`);
      return { ok: false, version, findings };
    } finally {
      rmSync(script, { force: true });
    }
    let ok = true;
    for (const map of this.profile.pathMap) {
      const seen = path.join(map.local, probe);
      if (existsSync(seen)) {
        findings.push(`ok: ${map.farm} exists and is writable from the farm, and is ${map.local} here`);
        rmSync(seen, { force: true });
      } else {
        ok = false;
        findings.push(`not ok: the farm could not write to ${map.farm}, or it is not ${map.local} here`);
      }
    }
    return { ok, version, findings };
  }

  async findByTag(tag: string): Promise<FarmJobRef | null> {
    const id = arrayIdForTag(await this.squeue(), tag);
    return id ? { farmJobId: id, tag } : null;
  }

  async submit(spec: FarmJobSpec): Promise<FarmJobRef> {
    if (spec.chunks.length === 0) throw new Error('nothing to hand to the farm');
    const dir = this.dirOf(spec.tag);
    mkdirSync(dir, { recursive: true });
    const wrapper = path.join(dir, 'element.sh');
    writeFileSync(wrapper, WRAPPER_SCRIPT);
    chmodSync(wrapper, 0o755);
    spec.chunks.forEach((chunk, position) => {
      writeFileSync(path.join(dir, `chunk-${position}.argv`), nulJoined(chunk.argv));
      if (chunk.env && Object.keys(chunk.env).length) writeFileSync(path.join(dir, `chunk-${position}.env`), nulJoined(Object.entries(chunk.env).map(([k, v]) => `${k}=${v}`)));
      if (chunk.cwd) writeFileSync(path.join(dir, `chunk-${position}.cwd`), chunk.cwd);
    });
    const record: SubmissionFile = { tag: spec.tag, chunks: spec.chunks.map((c) => ({ index: c.index, frames: [...c.frames] })) };
    writeFileSync(path.join(dir, 'submission.json'), JSON.stringify(record));
    const farmDir = this.farmPath(dir);
    const last = spec.chunks.length - 1;
    const args = [
      '--parsable',
      `--array=0-${last}%${Math.max(1, spec.slots)}`,
      `--job-name=${spec.tag}`,
      `--comment=${spec.tag}`,
      `--output=${farmDir}/element-%a.log`,
      `--chdir=${farmDir}`,
      // Spool retries by submitting the unfinished frames again; a requeue by Slurm would run a chunk twice.
      '--no-requeue',
      ...this.placement(),
      path.join(farmDir, 'element.sh'),
      farmDir,
    ];
    const out = await slurm(this.context, 'sbatch', args);
    const id = out.trim().split(';')[0]!;
    if (!/^\d+$/.test(id)) throw new Error(`sbatch answered "${out.trim()}", not a job id`);
    return { farmJobId: id, tag: spec.tag };
  }

  async tasks(ref: FarmJobRef): Promise<readonly FarmTask[]> {
    const record = this.readSubmission(ref.tag);
    const known = new Map<number, ElementStatus>();
    for (const element of elementsOf(await this.squeue(), ref.farmJobId)) known.set(element.index, element);
    return record.chunks.map((chunk, position): FarmTask => {
      const farmId = `${ref.farmJobId}_${position}`;
      const element = known.get(position);
      // The wrapper's exit file is the last word: squeue may still say COMPLETING, or nothing at all.
      const ended = this.endedTask(ref, chunk, position);
      if (ended) return ended;
      if (element) {
        const failed = element.state === 'failed' || element.state === 'canceled';
        const reason = failed
          ? `${element.slurmState}${element.signal ? ` (signal ${element.signal})` : element.exitCode ? ` (exit code ${element.exitCode})` : ''}, reason ${element.reason}`
          : element.reason !== 'None' ? element.reason : undefined;
        // Done per squeue but no exit file yet: the file lands a moment later; keep it running till then.
        const state = element.state === 'done' ? 'running' : element.state;
        return { chunkIndex: chunk.index, farmId, frames: chunk.frames, state, exitCode: element.exitCode, reason };
      }
      return { chunkIndex: chunk.index, farmId, frames: chunk.frames, state: 'unknown', reason: 'Slurm no longer knows this element and it left no exit status' };
    });
  }

  localFolder(ref: FarmJobRef): string {
    return this.dirOf(ref.tag);
  }

  async endedTasks(ref: FarmJobRef): Promise<readonly (FarmTask | null)[]> {
    return this.readSubmission(ref.tag).chunks.map((chunk, position) => this.endedTask(ref, chunk, position));
  }

  async logSince(ref: FarmJobRef, chunkIndex: number, cursor: string | null): Promise<{ lines: readonly string[]; cursor: string | null }> {
    const position = this.readSubmission(ref.tag).chunks.findIndex((c) => c.index === chunkIndex);
    return readNewLines(this.logFile(ref.tag, position), cursor);
  }

  async cancel(ref: FarmJobRef): Promise<void> {
    await slurm(this.context, 'scancel', [ref.farmJobId]);
  }

  /** Pending elements are held (priority 0); running ones finish: a user may not suspend on Slurm. */
  async hold(ref: FarmJobRef): Promise<void> {
    await ignoringRefusal(slurm(this.context, 'scontrol', ['hold', ref.farmJobId]));
  }

  async release(ref: FarmJobRef): Promise<void> {
    await ignoringRefusal(slurm(this.context, 'scontrol', ['release', ref.farmJobId]));
  }

  /** One element: a chunk stopped on its own (timeout), or canceled while others run on. */
  async cancelElement(ref: FarmJobRef, position: number): Promise<void> {
    await slurm(this.context, 'scancel', [`${ref.farmJobId}_${position}`]);
  }

  private async squeue() {
    const out = await slurm(this.context, 'squeue', ['--json']);
    try {
      return parseSqueue(out);
    } catch (error) {
      throw new FarmUnreachable(this.profile.name, (error as Error).message);
    }
  }

  private placement(): string[] {
    return [...(this.profile.partition ? [`--partition=${this.profile.partition}`] : []), ...this.profile.sbatchArgs];
  }

  private farmPath(local: string): string {
    const mapped = toFarm(this.profile.pathMap, local);
    if (mapped === null) throw new Error(`${local} is not under a path farm ${this.profile.name} shares`);
    return mapped;
  }

  private readSubmission(tag: string): SubmissionFile {
    try {
      return JSON.parse(readFileSync(path.join(this.dirOf(tag), 'submission.json'), 'utf8')) as SubmissionFile;
    } catch (error) {
      throw new FarmUnreachable(this.profile.name, `the shared folder of hand-off ${tag} cannot be read: ${(error as Error).message}`);
    }
  }

  /** An element's end as its exit file tells it, if the wrapper wrote one. */
  private endedTask(ref: FarmJobRef, chunk: SubmissionFile['chunks'][number], position: number): FarmTask | null {
    const exit = this.exitFile(ref.tag, position);
    if (exit === null) return null;
    const farmId = `${ref.farmJobId}_${position}`;
    return { chunkIndex: chunk.index, farmId, frames: chunk.frames, state: exit === 0 ? 'done' : 'failed', exitCode: exit, reason: exit === 0 ? undefined : `exit code ${exit}` };
  }

  private exitFile(tag: string, position: number): number | null {
    try {
      const text = readFileSync(path.join(this.dirOf(tag), `element-${position}.exit`), 'utf8').trim();
      return /^\d+$/.test(text) ? Number(text) : null;
    } catch {
      return null;
    }
  }
}

function nulJoined(items: readonly string[]): string {
  return items.map((item) => `${item}\0`).join('');
}

/** scontrol refuses to hold what already runs or ended: that is the point of a hold, not an error. */
async function ignoringRefusal(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (error instanceof FarmUnreachable) throw error;
  }
}

/** Complete lines written since `cursor` (a byte offset); a line still being written waits for its end. */
export function readNewLines(file: string, cursor: string | null): { lines: string[]; cursor: string | null } {
  const from = cursor === null ? 0 : Number(cursor);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { lines: [], cursor };
  }
  if (size <= from) return { lines: [], cursor: String(from) };
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  const end = buffer.lastIndexOf(0x0a);
  if (end < 0) return { lines: [], cursor: String(from) };
  const text = buffer.subarray(0, end).toString('utf8');
  return { lines: text.split('\n').map((l) => l.replace(/\r$/, '')), cursor: String(from + end + 1) };
}
