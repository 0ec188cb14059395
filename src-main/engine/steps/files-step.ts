import { copyFile, mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FilesStepSpec } from '../types';
import { expandFolder, type StepContext, type StepResult } from './step-context';

/**
 * Copies or moves the job's frames, and the files earlier steps made (a preview movie), into a
 * folder. Runs in the engine (no child), one file at a time, logging each. A run that was cut
 * short is safe to run again: a file already there with the same size is left as it is.
 */
export async function runFilesStep(ctx: StepContext, spec: FilesStepSpec): Promise<StepResult> {
  const frames = ctx.store.framesOf(ctx.job.id).filter((f) => f.state === 'done' && f.output);
  const earlier = ctx.store
    .stepsOf(ctx.job.id)
    .filter((s) => s.index < ctx.step.index && s.state === 'succeeded' && s.kind === 'preview')
    .flatMap((s) => s.outputs);
  const files = [...new Set([...frames.map((f) => f.output!), ...earlier])];
  if (files.length === 0) return { ok: false, reason: 'no rendered files to copy', retryable: false };
  const to = expandFolder(spec.to, ctx.job);
  try {
    await mkdir(to, { recursive: true });
  } catch (error) {
    return { ok: false, reason: `cannot create ${to} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, retryable: true };
  }
  const verb = spec.kind === 'move' ? 'moved' : 'copied';
  const moved = new Map<string, string>();
  let count = 0;
  try {
    for (const file of files) {
      if (ctx.stopped()) return { ok: false, reason: 'stopped', retryable: false };
      const left = ctx.timeLeftMs();
      if (left !== null && left <= 0) return { ok: false, reason: `ran longer than its ${ctx.step.spec.timeoutSec} s limit`, retryable: true };
      const dest = path.join(to, path.basename(file));
      if (path.resolve(dest) === path.resolve(file)) continue;
      const source = await stat(file).catch(() => null);
      const there = await stat(dest).catch(() => null);
      if (!source) {
        if (spec.kind === 'move' && there) {
          moved.set(file, dest); // moved by an earlier run of this step
          continue;
        }
        return { ok: false, reason: `${file} is gone`, retryable: false };
      }
      if (there && !spec.overwrite) {
        if (there.size !== source.size) {
          return { ok: false, reason: `${dest} exists and differs (set overwrite: true to replace it)`, retryable: false };
        }
        ctx.log(`already there: ${dest}`);
        if (spec.kind === 'move') {
          await unlink(file);
          moved.set(file, dest);
        }
        continue;
      }
      if (spec.kind === 'move') {
        await moveFile(file, dest);
        moved.set(file, dest);
      } else {
        await copyFile(file, dest);
      }
      count++;
      ctx.log(`${verb} ${file} → ${dest}`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const retryable = code === 'ENOSPC' || code === 'EBUSY' || code === 'EIO' || code === 'EAGAIN';
    return { ok: false, reason: `${verb.replace(/ed$/, 'ing')} failed: ${(error as Error).message}`, retryable };
  } finally {
    // The store follows the files even when a move stopped half-way.
    if (moved.size > 0) ctx.store.moveFrameOutputs(ctx.job.id, moved);
  }
  ctx.log(`${count} file${count === 1 ? '' : 's'} ${verb} to ${to}`);
  return { ok: true, outputs: [to] };
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another disk: copy, then remove the original once the copy is whole.
    await copyFile(from, to);
    await unlink(from);
  }
}
