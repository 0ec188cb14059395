import type { DeviceAssignment, JobOverrides, SceneInfo } from '../types';
import type { DccDescriptor, FullDescriptor } from './descriptor';

/** One chunk of frames for one child process. */
export interface RenderChunk {
  /** Absolute scene path, or null for adapters that need none (generic command). */
  scene: string | null;
  /** Frames in render order. Non-empty. */
  frames: number[];
  /** Absolute output pattern with `#` for padded frame digits, or null = the scene's own output. */
  output: string | null;
  device: DeviceAssignment;
  overrides: JobOverrides;
  /**
   * First and last frame of the whole job (not just this chunk). POV-Ray's `clock` runs 0→1 across
   * the animation's frame range, so every chunk must be given the same range or the motion jumps
   * between chunks. Absent: the chunk's own first and last frame.
   */
  sequence?: { first: number; last: number };
}

/** A command to run: never a shell string. */
export interface Command {
  file: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** What an adapter reads out of one line of the child's output. */
export type ParsedEvent =
  /** The DCC started working on a frame. */
  | { type: 'frame-start'; frame: number }
  /** Progress within the current frame, 0..1. */
  | { type: 'progress'; frame: number | null; fraction: number }
  /** The DCC reported it wrote an image for a frame. */
  | { type: 'frame-saved'; frame: number | null; path: string }
  /**
   * The DCC's own measure of a frame it saved (Blender's ` Time:` line after `Saved:`): render
   * plus save, with none of the lag before Spool reads the line (a farm's poll). It stands for the
   * frame's render time in place of Spool's clock.
   */
  | { type: 'frame-time'; frame: number | null; ms: number }
  /** The DCC reported an error. `fatal`: the attempt has failed even if it exits 0. */
  | { type: 'error'; message: string; retryable: boolean; fatal: boolean };

/** Stateful per-attempt line parser (DCC output spans lines: `Fra:N` then `Saved:`). */
export interface OutputParser {
  parse(line: string): ParsedEvent[];
}

export type { SceneInfo };

/** A DCC's descriptor (its data: descriptor.ts) plus how to run it and read what it prints. */
export interface Adapter extends DccDescriptor {
  /**
   * False when the DCC prints no per-frame "saved" line and expectedOutput may be null: a frame
   * then counts as done when its run exits 0 (generic commands without {output}).
   */
  reportsSavedFrames?: boolean;
  /**
   * Lowest frame number the DCC can render, when it has one: Blender clamps frames below 0 (and
   * reads `-f -1` as "one before the end"), POV-Ray's subset frames below 0 collapse to frame 0.
   * A job whose frames go lower should be refused at submit time.
   */
  minFrame?: number;
  /** Highest frame number the DCC can render, when it has one (Blender clamps above 1,048,574); refused at submit like minFrame. */
  maxFrame?: number;
  /** The program a job names itself (a command template's first word), if any. */
  executableFromJob?(overrides: JobOverrides): string | null;
  /** How the adapter wants frames split: any list, or ascending arithmetic runs only. */
  chunkShape: 'any' | 'arithmetic';
  /** True if chunk size should default to one frame per process (e.g. a per-frame template). */
  perFrame?(overrides: JobOverrides): boolean;
  /** Validates adapter-specific parts of a job at submit time; returns an error message or null. */
  validate?(input: { scene: string | null; output: string | null; overrides: JobOverrides }): string | null;
  buildCommand(chunk: RenderChunk, executable: string): Command;
  /** Where the image for `frame` is expected, or null when it cannot be known ahead. */
  expectedOutput(chunk: RenderChunk, frame: number): string | null;
  createParser(chunk: RenderChunk): OutputParser;
  /** Reads defaults out of the scene (frame range, output, cameras...). */
  probeScene?(scene: string, executable: string): Promise<SceneInfo>;
  /** The same read by one long-lived process, when the DCC's start-up dwarfs reading a scene. */
  warmProbe?: WarmProbeSpec;
}

/**
 * A prober kept running: started as `executable ...args`, it prints `prefix{"ready":true}` once,
 * then answers each request line `{"id":N,"scene":PATH}` with one `prefix{"id":N,...}` line.
 */
export interface WarmProbeSpec {
  args: string[];
  prefix: string;
  /** The scene's info from one answer, or the error the cold probe would have thrown. */
  read(reply: { id: number; info?: unknown; error?: string }, scene: string): SceneInfo;
}

/** An adapter fit for the registry: its descriptor complete. */
export type RegisteredAdapter = Adapter & FullDescriptor;
