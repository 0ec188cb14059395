import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExr, exrCompleteness } from './exr-check';
import { imageCompleteness, isCompleteImage } from './image-check';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/exr');
/** 32×18 frames Blender 3.4 wrote (`-F OPEN_EXR` and `-F OPEN_EXR_MULTILAYER` with Depth and Normal passes). */
const SINGLE = path.join(FIXTURES, 'blender-single.exr');
const MULTILAYER = path.join(FIXTURES, 'blender-multilayer.exr');

describe('EXR completeness (crash adoption)', () => {
  let dir: string;
  const made: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spool-exr-'));
    // The layouts OpenEXR writes besides Blender's scanline ZIP: other compressions (other chunk
    // heights), tiles, MIP-map levels, and multipart files, all written by OpenImageIO.
    const variants: Record<string, string[]> = {
      none: [SINGLE, '--compression', 'none'],
      piz: [SINGLE, '--compression', 'piz'],
      dwaa: [SINGLE, '--compression', 'dwaa'],
      tiled: [SINGLE, '--tile', '16', '16'],
      multipart: [SINGLE, MULTILAYER, '--siappend'],
    };
    for (const [name, args] of Object.entries(variants)) {
      made[name] = path.join(dir, `${name}.exr`);
      await execa('oiiotool', [...args, '-o', made[name]!]);
    }
    made.mipmap = path.join(dir, 'mipmap.exr');
    await execa('oiiotool', [SINGLE, '--tile', '8', '8', '-otex', made.mipmap]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('proves whole files Blender and oiiotool wrote complete', () => {
    expect(exrCompleteness(SINGLE)).toBe('complete');
    expect(exrCompleteness(MULTILAYER)).toBe('complete');
    for (const [name, file] of Object.entries(made)) expect([name, exrCompleteness(file)]).toEqual([name, 'complete']);
    expect(isCompleteImage(MULTILAYER)).toBe(true);
    expect(imageCompleteness(SINGLE)).toBe('complete');
  });

  it('finds every truncation incomplete, whatever byte the file was cut at', () => {
    for (const source of [SINGLE, MULTILAYER, ...Object.values(made)]) {
      const bytes = readFileSync(source);
      const wrong: number[] = [];
      // The same proof exrCompleteness runs on a file, on each prefix of the bytes in memory.
      for (let length = 0; length < bytes.length; length++) {
        const cut = bytes.subarray(0, length);
        const read = (buf: Buffer, at: number): number => (at >= cut.length ? 0 : cut.copy(buf, 0, at, Math.min(cut.length, at + buf.length)));
        if (checkExr(cut, length, read) !== 'incomplete') wrong.push(length);
      }
      expect([path.basename(source), wrong]).toEqual([path.basename(source), []]);
    }
  });

  it('finds a file whose offset table was never filled in (the writer did not close it) incomplete', () => {
    const bytes = Buffer.from(readFileSync(SINGLE));
    // Blender's header ends right before the table; 18 ZIP scanlines are 2 chunks of 16 lines.
    const tableStart = findTableStart(bytes);
    bytes.fill(0, tableStart, tableStart + 16);
    const file = path.join(dir, 'unclosed.exr');
    writeFileSync(file, bytes);
    expect(exrCompleteness(file)).toBe('incomplete');
    expect(isCompleteImage(file)).toBe(false);
  });

  it('answers incomplete for a file that is not an EXR, and unknown where it cannot prove (deep data)', () => {
    const fake = path.join(dir, 'fake.exr');
    writeFileSync(fake, 'not an image at all');
    expect(exrCompleteness(fake)).toBe('incomplete');
    const deep = Buffer.from(readFileSync(SINGLE));
    deep.writeUInt32LE(deep.readUInt32LE(4) | 0x800, 4);
    writeFileSync(fake, deep);
    expect(exrCompleteness(fake)).toBe('unknown');
    copyFileSync(SINGLE, path.join(dir, 'copy.EXR'));
    expect(imageCompleteness(path.join(dir, 'copy.EXR'))).toBe('complete');
  });
});

/** The byte after the single part's header: its closing NUL follows the last attribute's value. */
function findTableStart(bytes: Buffer): number {
  let at = 8;
  while (bytes[at] !== 0) {
    const nameEnd = bytes.indexOf(0, at);
    const typeEnd = bytes.indexOf(0, nameEnd + 1);
    at = typeEnd + 5 + bytes.readInt32LE(typeEnd + 1);
  }
  return at + 1;
}
