import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { normalizeLineBreaks } from '../supervisor/log-bytes';

/**
 * Reading attempt logs by byte range. A log can be far bigger than a JavaScript string may be
 * (~512 MB): a 600 MB log read whole threw, and the caller printed "(no log was written)". Every
 * reader here takes a bounded slice of the file, so memory follows the slice, not the log.
 */

/** What a face gets when it names no size: enough for any view, far below a string's limit. */
export const DEFAULT_LOG_SLICE = 4 * 1024 * 1024;
/** The most one read may return: a slice must stay a comfortable string. */
export const MAX_LOG_SLICE = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export interface LogSlice {
  /** The slice as text, line breaks normalized to `\n`. */
  text: string;
  /** Byte offsets of the slice in the file: read on from `to`. */
  from: number;
  to: number;
  /** The file's size when it was read (0 when there is no file yet). */
  size: number;
  /** Whether the file held the log at all. */
  exists: boolean;
}

/**
 * The last `tail` bytes of a log, starting at a line boundary when one is in reach (a cut line is
 * noise; a single giant line is kept as its tail rather than shown as nothing).
 */
export function readLogTail(file: string, tail: number): LogSlice {
  return withFile(file, (fd, size) => {
    const start = Math.max(0, size - tail);
    const bytes = readBytes(fd, start, size);
    let skip = 0;
    if (start > 0) {
      const lf = bytes.indexOf(LF);
      if (lf !== -1 && lf + 1 < bytes.length) skip = lf + 1;
    }
    return slice(bytes.subarray(skip), start + skip, size);
  });
}

/**
 * Up to `limit` bytes from `from` on. The slice ends at its last line break when the file goes
 * on (the rest is read next time, whole), and never on a `\r` that may be half of a `\r\n`.
 */
export function readLogRange(file: string, from: number, limit: number): LogSlice {
  return withFile(file, (fd, size) => {
    const start = Math.min(from, size);
    const end = Math.min(size, start + limit);
    let bytes = readBytes(fd, start, end);
    if (end < size) {
      const cut = bytes.lastIndexOf(LF);
      if (cut !== -1) bytes = bytes.subarray(0, cut + 1);
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    return slice(bytes, start, size);
  });
}

/**
 * Where the last `lines` lines of a log start: found by scanning back in small chunks, so only
 * counting costs memory, never the log. At most MAX_LOG_SLICE back (then at a line start if any).
 */
export function lastLinesStart(file: string, lines: number): { from: number; size: number } {
  return withFile(file, (fd, size) => {
    if (lines <= 0) return { from: size, size };
    const floor = Math.max(0, size - MAX_LOG_SLICE);
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let end = size;
    let wanted = lines;
    // The file's own last line break ends the last line; it does not start another.
    let ignoreAt = size - 1;
    while (end > floor) {
      const start = Math.max(floor, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      for (let i = n - 1; i >= 0; i--) {
        if (chunk[i] !== LF || start + i === ignoreAt) continue;
        if (--wanted === 0) return { from: start + i + 1, size };
      }
      end = start;
      ignoreAt = -1;
    }
    return { from: floor, size };
  });
}

/** A log's size in bytes, or null when it was never written. */
export function logSize(file: string): number | null {
  try {
    return withFile(file, (_fd, size) => size);
  } catch {
    return null;
  }
}

function slice(bytes: Buffer, from: number, size: number): LogSlice {
  return { text: normalizeLineBreaks(bytes.toString('utf8')), from, to: from + bytes.length, size, exists: true };
}

function withFile<T>(file: string, read: (fd: number, size: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return read(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

function readBytes(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}
