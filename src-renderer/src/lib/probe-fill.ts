import type { SceneInfoDto } from '../../../src-preload/contract';
import type { JobForm } from './job-form';

/** The fields a probe fills from the scene. */
export const PROBED_FIELDS = ['frames', 'output', 'camera'] as const;
export type ProbedField = (typeof PROBED_FIELDS)[number];
/** What the probe put in each field: a field still holding it is the probe's, anything else the user's. */
export type ProbeFilled = Partial<Record<ProbedField, string>>;

/** What the scene says for a field, as the form writes it ('' = nothing to fill). */
export function probedValue(info: SceneInfoDto, field: ProbedField): string {
  if (field === 'frames') {
    if (info.frameStart === undefined || info.frameEnd === undefined) return '';
    return `${info.frameStart}-${info.frameEnd}${info.frameStep && info.frameStep > 1 ? `x${info.frameStep}` : ''}`;
  }
  if (field === 'output') return info.output ?? '';
  // Only a choice when there is one: a scene with one camera renders with it anyway.
  return info.cameras && info.cameras.length > 1 ? (info.activeCamera ?? '') : '';
}

function isUsers(form: JobForm, filled: ProbeFilled, field: ProbedField): boolean {
  return form[field].trim() !== '' && form[field] !== filled[field];
}

/** A new scene: what the last probe filled is cleared, what the user typed stays. */
export function clearProbed(form: JobForm, filled: ProbeFilled): JobForm {
  const next = { ...form };
  for (const field of PROBED_FIELDS) if (filled[field] !== undefined && form[field] === filled[field]) next[field] = '';
  return next;
}

/** A probe's answer: fills (or replaces) every field the user has not typed in. */
export function applyProbe(form: JobForm, filled: ProbeFilled, info: SceneInfoDto): { form: JobForm; filled: ProbeFilled } {
  const next = { ...form };
  const nowFilled: ProbeFilled = {};
  for (const field of PROBED_FIELDS) {
    if (isUsers(form, filled, field)) continue;
    const value = probedValue(info, field);
    next[field] = value;
    if (value !== '') nowFilled[field] = value;
  }
  return { form: next, filled: nowFilled };
}

/** The user typed this field and the scene says otherwise: the form marks it "yours". */
export function isYours(form: JobForm, filled: ProbeFilled, info: SceneInfoDto | null, field: ProbedField): boolean {
  if (!info || !isUsers(form, filled, field)) return false;
  const scene = probedValue(info, field);
  return scene !== '' && scene !== form[field].trim();
}

/** Frames the form asks for that lie outside the scene's own range, as "lowest–highest", or null. */
export function outsideSceneRange(frames: readonly number[], info: SceneInfoDto | null): { outside: number; lowest: number; highest: number } | null {
  if (!info || info.frameStart === undefined || info.frameEnd === undefined || frames.length === 0) return null;
  const lo = Math.min(info.frameStart, info.frameEnd);
  const hi = Math.max(info.frameStart, info.frameEnd);
  const out = frames.filter((f) => f < lo || f > hi);
  if (out.length === 0) return null;
  return { outside: out.length, lowest: Math.min(...out), highest: Math.max(...out) };
}
