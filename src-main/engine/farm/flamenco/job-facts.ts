import { blenderFormat, blenderImageExtension } from '../../adapters/blender';
import { InputError } from '../../errors';
import type { JobOverrides, SceneInfo } from '../../types';
import type { FarmJobSpec } from '../backend';
import { JOB_TYPE } from './job-body';

/**
 * What a Flamenco `simple-blender-render` job needs beyond frames and paths, and what Spool can
 * tell at submit time. The Blender add-on evaluates these in the open scene (reference §1.4);
 * Spool takes them from the job's own format override, else from its scene probe:
 * - format: `--format`, else the scene's output format. Without either the job is refused.
 * - image_file_extension: the one Blender gives that format.
 * - scene: the scene the file opens on; `Scene` (Blender's default) when the probe could not
 *   tell. A name the file lacks is harmless: Blender says "Can't find scene" and renders the
 *   file's own scene, as a local render does.
 * - fps: the scene's rate when known; without it the Manager adds no preview-video task.
 */

export const DEFAULT_SCENE = 'Scene';

export type FlamencoFacts = Pick<FarmJobSpec, 'format' | 'imageExtension' | 'fps' | 'sceneName'>;

export function flamencoFacts(overrides: JobOverrides, probed: SceneInfo | null): FlamencoFacts {
  const format = blenderFormat(overrides.format) ?? blenderFormat(probed?.format);
  const imageExtension = format ? blenderImageExtension(format) : null;
  return {
    ...(format ? { format } : {}),
    ...(imageExtension ? { imageExtension } : {}),
    ...(probed?.fps !== undefined && probed.fps > 0 ? { fps: probed.fps } : {}),
    sceneName: probed?.sceneName ?? DEFAULT_SCENE,
  };
}

/**
 * Refuses at submit what a Flamenco Manager would refuse later (job-body.ts checks the same at
 * hand-off): the user hears it now, with the field named, instead of as a failed job. The scene
 * is read (`probe`) only when the rest passed and no --format says the format.
 */
export async function checkFlamencoJob(
  farm: string,
  job: { dcc: string; output: string | null; frames: readonly number[]; overrides: JobOverrides },
  probe: () => Promise<SceneInfo | null>,
): Promise<void> {
  const refuse = (field: string, why: string): never => {
    throw new InputError(field, `farm ${farm} is a Flamenco farm: ${why}`);
  };
  if (job.dcc !== 'blender') refuse('farm', `its ${JOB_TYPE} job type renders Blender scenes only, not ${job.dcc}`);
  if (job.output === null) refuse('output', "it needs an output path on the job (--output), it cannot use the scene's own");
  // These change the image; the Manager builds the Blender command itself and has no place for them.
  const dropped = (['camera', 'layer', 'samples'] as const).filter((key) => job.overrides[key] !== undefined);
  if (dropped.length > 0) refuse(`overrides.${dropped[0]}`, `the Manager builds the Blender command itself, so ${dropped.join(', ')} cannot be overridden there; set ${dropped.length > 1 ? 'them' : 'it'} in the scene`);
  const negative = job.frames.find((frame) => frame < 0);
  if (negative !== undefined) refuse('frames', `it cannot render negative frames (${negative}), it reads "-" as a range`);
  // The Manager sorts the frames before cutting chunks; Spool's chunks follow the order given.
  const back = job.frames.findIndex((frame, i) => i > 0 && frame <= job.frames[i - 1]!);
  if (back > 0) refuse('frames', `it renders frames in ascending order, each once (here ${job.frames[back - 1]} comes before ${job.frames[back]}); give them ascending, e.g. 1-100`);
  const probed = job.overrides.format ? null : await probe().catch(() => null);
  const facts = flamencoFacts(job.overrides, probed);
  if (!facts.format) refuse('format', `it needs the image format and Spool could not read it from the scene${probed?.note ? ` (${probed.note})` : ''}; pass --format, e.g. PNG`);
  if (!facts.imageExtension) refuse('format', `its ${JOB_TYPE} renders images only, not ${facts.format}`);
}
