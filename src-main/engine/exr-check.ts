import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Proves an OpenEXR file was written to its end. OpenEXR writes a file as: header(s), a table of
 * chunk offsets left as zeros, the chunks, and only when the file is closed does it seek back and
 * fill the table in. So a file is whole when (1) its header(s) parse, (2) the offset table the
 * header implies is present and every entry points past the table and inside the file (a zero
 * means the writer never closed it), and (3) the chunk at the largest offset, read from its own
 * little header (part, y or tile coordinates, data size), ends inside the file (a cut tail fails).
 * Deep images and unknown compressions answer 'unknown': the caller keeps its rule (re-render).
 */
export type ExrCompleteness = 'complete' | 'incomplete' | 'unknown';

const MAGIC = 20000630;
const TILED = 0x200;
const NON_IMAGE = 0x800;
const MULTIPART = 0x1000;
/** Headers are small; a file whose header(s) do not fit here is not one we can prove. */
const HEADER_READ = 1 << 20;

/** Scanlines per chunk by compression id (NONE, RLE, ZIPS, ZIP, PIZ, PXR24, B44, B44A, DWAA, DWAB). */
const LINES_PER_CHUNK = [1, 1, 1, 16, 32, 16, 32, 32, 32, 256];

interface PartHeader {
  dataWindow: { xMin: number; yMin: number; xMax: number; yMax: number } | null;
  compression: number | null;
  tiles: { x: number; y: number; mode: number } | null;
  chunkCount: number | null;
  type: string | null;
  channels: string[] | null;
}

export function exrCompleteness(file: string): ExrCompleteness {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEADER_READ));
    readSync(fd, head, 0, head.length, 0);
    return checkExr(head, size, (buf, at) => readSync(fd!, buf, 0, buf.length, at));
  } catch {
    return 'incomplete';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The proof on bytes: `head` is the file's start, `read` reads more of it at an offset. */
export function checkExr(head: Buffer, size: number, read: (buf: Buffer, at: number) => number): ExrCompleteness {
  if (head.length < 8 || head.readInt32LE(0) !== MAGIC) return 'incomplete';
  const flags = head.readUInt32LE(4);
  if (flags & NON_IMAGE) return 'unknown';
  const multipart = (flags & MULTIPART) !== 0;
  const parts: PartHeader[] = [];
  let at = 8;
  for (;;) {
    const parsed = parseHeader(head, at);
    if (!parsed) return head.length < size ? 'unknown' : 'incomplete';
    parts.push(parsed.header);
    at = parsed.end;
    // Single part: one header. Multipart: headers until an empty one (a lone NUL).
    if (!multipart) break;
    if (at >= head.length) return 'incomplete';
    if (head[at] === 0) {
      at++;
      break;
    }
  }

  const isTiled = (part: PartHeader): boolean => (flags & TILED) !== 0 || part.type === 'tiledimage';
  if (parts.some((p) => p.type?.startsWith('deep'))) return 'unknown';
  const counts = parts.map((p) => p.chunkCount ?? chunkCountOf(p, isTiled(p)));
  if (counts.some((n) => n === null || n <= 0)) return 'unknown';
  const chunks = (counts as number[]).reduce((a, b) => a + b, 0);
  const tableEnd = at + chunks * 8;
  if (tableEnd > size) return 'incomplete';
  const table = Buffer.alloc(chunks * 8);
  if (read(table, at) < table.length) return 'incomplete';

  let last = 0;
  let lastPart = 0;
  for (let part = 0, i = 0; part < parts.length; part++) {
    for (let n = 0; n < counts[part]!; n++, i++) {
      const offset = Number(table.readBigUInt64LE(i * 8));
      if (offset < tableEnd || offset >= size) return 'incomplete';
      if (offset > last) {
        last = offset;
        lastPart = part;
      }
    }
  }

  // The chunk at the largest offset: [part number] then y (scanline) or 4 tile ints, then its size.
  const prefix = (multipart ? 4 : 0) + (isTiled(parts[lastPart]!) ? 16 : 4);
  const sizeField = Buffer.alloc(4);
  if (read(sizeField, last + prefix) < 4) return 'incomplete';
  const dataSize = sizeField.readInt32LE(0);
  if (dataSize <= 0) return 'incomplete';
  return last + prefix + 4 + dataSize <= size ? 'complete' : 'incomplete';
}

/** One header's attributes (name, type, size, value) up to its closing NUL; null when cut short. */
function parseHeader(buf: Buffer, start: number): { header: PartHeader; end: number } | null {
  const header: PartHeader = { dataWindow: null, compression: null, tiles: null, chunkCount: null, type: null, channels: null };
  let at = start;
  for (;;) {
    if (at >= buf.length) return null;
    if (buf[at] === 0) return { header, end: at + 1 };
    const nameEnd = buf.indexOf(0, at);
    if (nameEnd < 0) return null;
    const typeEnd = buf.indexOf(0, nameEnd + 1);
    if (typeEnd < 0 || typeEnd + 5 > buf.length) return null;
    const name = buf.toString('latin1', at, nameEnd);
    const valueSize = buf.readInt32LE(typeEnd + 1);
    const value = typeEnd + 5;
    if (valueSize < 0 || value + valueSize > buf.length) return null;
    if (name === 'dataWindow' && valueSize >= 16) {
      header.dataWindow = { xMin: buf.readInt32LE(value), yMin: buf.readInt32LE(value + 4), xMax: buf.readInt32LE(value + 8), yMax: buf.readInt32LE(value + 12) };
    } else if (name === 'compression' && valueSize >= 1) {
      header.compression = buf[value]!;
    } else if (name === 'tiles' && valueSize >= 9) {
      header.tiles = { x: buf.readUInt32LE(value), y: buf.readUInt32LE(value + 4), mode: buf[value + 8]! };
    } else if (name === 'chunkCount' && valueSize >= 4) {
      header.chunkCount = buf.readInt32LE(value);
    } else if (name === 'channels') {
      header.channels = channelNames(buf.subarray(value, value + valueSize));
    } else if (name === 'type') {
      header.type = buf.toString('latin1', value, value + valueSize).replace(/\0+$/, '');
    }
    at = value + valueSize;
  }
}

/** A chlist: each channel is its name, a NUL and 16 bytes (pixel type, linear flag, sampling). */
function channelNames(list: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (at < list.length && list[at] !== 0) {
    const end = list.indexOf(0, at);
    if (end < 0) break;
    names.push(list.toString('utf8', at, end));
    at = end + 1 + 16;
  }
  return names;
}

/** The channel names of an EXR's first part (`ViewLayer.Combined.R`…), or null when its header does not parse. */
export function exrChannels(file: string): string[] | null {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(Math.min(fstatSync(fd).size, HEADER_READ));
    readSync(fd, head, 0, head.length, 0);
    if (head.length < 8 || head.readInt32LE(0) !== MAGIC) return null;
    return parseHeader(head, 8)?.header.channels ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** How many chunks a part has, from its data window and compression (scanlines) or tiling. */
function chunkCountOf(part: PartHeader, tiled: boolean): number | null {
  const w = part.dataWindow;
  if (!w || w.xMax < w.xMin || w.yMax < w.yMin) return null;
  const width = w.xMax - w.xMin + 1;
  const height = w.yMax - w.yMin + 1;
  if (!tiled) {
    const lines = part.compression === null ? undefined : LINES_PER_CHUNK[part.compression];
    return lines ? Math.ceil(height / lines) : null;
  }
  const t = part.tiles;
  if (!t || t.x <= 0 || t.y <= 0) return null;
  const levelMode = t.mode & 0x0f;
  const roundUp = (t.mode >> 4) === 1;
  const tilesAt = (w2: number, h2: number): number => Math.ceil(w2 / t.x) * Math.ceil(h2 / t.y);
  const levels = (n: number): number => (roundUp ? Math.ceil(Math.log2(n)) : Math.floor(Math.log2(n))) + 1;
  const levelSize = (n: number, l: number): number => Math.max(1, roundUp ? Math.ceil(n / 2 ** l) : Math.floor(n / 2 ** l));
  if (levelMode === 0) return tilesAt(width, height);
  if (levelMode === 1) {
    let total = 0;
    for (let l = 0; l < levels(Math.max(width, height)); l++) total += tilesAt(levelSize(width, l), levelSize(height, l));
    return total;
  }
  if (levelMode === 2) {
    let total = 0;
    for (let ly = 0; ly < levels(height); ly++) for (let lx = 0; lx < levels(width); lx++) total += tilesAt(levelSize(width, lx), levelSize(height, ly));
    return total;
  }
  return null;
}
