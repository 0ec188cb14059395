import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { exrCompleteness } from './exr-check';

const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]); // IEND chunk type + CRC
const JPEG_END = Buffer.from([0xff, 0xd9]);

/**
 * True only when the file is an image we can prove was written to its end (PNG's IEND chunk,
 * JPEG's end-of-image marker, OpenEXR's filled-in offset table and last chunk: exr-check.ts). Used to adopt frames an interrupted render finished after its
 * engine died: a half-written file must never count as a done frame, so unknown formats do not.
 */
export function isCompleteImage(file: string): boolean {
  return imageCompleteness(file) === 'complete';
}

/**
 * 'incomplete': a format we can check, cut short (a full disk: the renderer said "Saved" and the
 * PNG has no IEND) or unreadable; 'unknown': a format we cannot check.
 */
export function imageCompleteness(file: string): 'complete' | 'incomplete' | 'unknown' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.exr') return exrCompleteness(file);
  const trailer = ext === '.png' ? PNG_END : ext === '.jpg' || ext === '.jpeg' ? JPEG_END : null;
  if (!trailer) return 'unknown';
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    if (size < trailer.length + 8) return 'incomplete';
    const tail = Buffer.alloc(trailer.length);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return tail.equals(trailer) ? 'complete' : 'incomplete';
  } catch {
    return 'incomplete';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
