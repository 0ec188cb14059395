import { InputError } from '../../errors';
import type { FarmJobSpec } from '../backend';
import { flamencoChunks, flamencoFrameText } from './frames';
import type { AvailableJobType, SubmittedJob } from './schemas';

/**
 * Turns a FarmJobSpec into Flamenco's `SubmittedJob` for `simple-blender-render`, with the
 * settings the Blender add-on would otherwise compute with its Python `eval`s (reference §1.4:
 * a non-Blender client must send them itself). Pure: everything that can be refused before the
 * Manager is called is refused here, with the field named.
 */

export const JOB_TYPE = 'simple-blender-render';
/** Where Spool's tag lives in the job's metadata; found again by findByTag after a restart. */
export const TAG_KEY = 'spool.tag';

/** Formats simple-blender-render refuses: "This job type only renders images". */
const VIDEO_FORMATS = new Set(['FFMPEG', 'AVI_RAW', 'AVI_JPEG']);

export interface JobBodyOptions {
  /** Lower-case GOOS of the paths' form; `manager` = the Manager's own OS (the farm-side paths). */
  readonly submitterPlatform: string;
  readonly priority: number;
}

export function buildSubmittedJob(spec: FarmJobSpec, jobType: AvailableJobType | null, options: JobBodyOptions): SubmittedJob {
  if (spec.dcc !== 'blender') throw new InputError('farm', `Flamenco's ${JOB_TYPE} job type renders Blender scenes only, not ${spec.dcc}`);
  if (spec.frames.length === 0) throw new InputError('frames', 'no frames to render');
  const negative = spec.frames.find((frame) => frame < 0);
  if (negative !== undefined) throw new InputError('frames', `Flamenco cannot render negative frames (${negative}): it reads "-" as a range`);
  if (!spec.output) throw new InputError('output', 'Flamenco needs an output path on the job (it has no "use the scene\'s output")');
  if (!spec.format) throw new InputError('format', 'Flamenco needs the scene\'s image format; the scene probe did not report one');
  if (VIDEO_FORMATS.has(spec.format)) throw new InputError('format', `Flamenco's ${JOB_TYPE} renders images only, not ${spec.format}`);
  if (!spec.imageExtension) throw new InputError('format', 'Flamenco needs the image file extension; the scene probe did not report one');

  const chunkSize = checkedChunkSize(spec);
  const settings: SubmittedJob['settings'] = {
    blendfile: spec.scene,
    frames: flamencoFrameText(spec.frames),
    chunk_size: chunkSize,
    // The add-on evaluates render_output_path from these two; Spool sends the path itself, and
    // the Manager only replaces `{timestamp}` in it.
    render_output_root: parentDir(spec.output),
    add_path_components: 0,
    render_output_path: spec.output,
    format: spec.format,
    image_file_extension: spec.imageExtension.startsWith('.') ? spec.imageExtension : `.${spec.imageExtension}`,
    has_previews: false,
  };
  if (spec.fps !== undefined) settings.fps = spec.fps;
  if (spec.sceneName) settings.scene = spec.sceneName;

  if (jobType) {
    const missing = jobType.settings.filter((s) => s.required && !(s.key in settings)).map((s) => s.key);
    if (missing.length > 0) throw new InputError('farm', `this Flamenco Manager's ${JOB_TYPE} requires ${missing.join(', ')}, which Spool cannot fill in`);
  }

  const job: SubmittedJob = {
    name: spec.name,
    type: JOB_TYPE,
    priority: options.priority,
    submitter_platform: options.submitterPlatform,
    settings,
    metadata: { [TAG_KEY]: spec.tag },
  };
  if (jobType) job.type_etag = jobType.etag;
  return job;
}

/**
 * The Manager cuts the frames into chunks itself, in ascending order. Spool's chunks must be
 * exactly those, or its frame grid and the farm's tasks would disagree about which task renders
 * which frame.
 */
function checkedChunkSize(spec: FarmJobSpec): number {
  const size = Math.max(1, ...spec.chunks.map((c) => c.frames.length));
  const show = (chunks: readonly (readonly number[])[]): string => chunks.slice(0, 3).map((c) => c.join(',')).join(' | ') + (chunks.length > 3 ? ' | …' : '');
  const expected = flamencoChunks(spec.frames, size);
  const actual = spec.chunks.map((c) => [...c.frames].sort((a, b) => a - b));
  if (expected.length !== actual.length || expected.some((c, i) => c.join() !== actual[i]!.join())) {
    throw new InputError('chunks', `Flamenco renders frames in ascending order in chunks of ${size} (${show(expected)}); this job's chunks are ${show(actual)}`);
  }
  return size;
}

function parentDir(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut <= 0 ? path.slice(0, cut + 1) || '.' : path.slice(0, cut);
}
