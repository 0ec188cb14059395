import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FAKE_DCC } from '../helpers/fake-dcc';

/**
 * Shared by the chaos, fault, fuzz and security suites: read the process table, check what landed
 * on disk (running the CLI is ../helpers/spool-cli). Everything here looks at the system from
 * outside the engine, so a suite cannot pass by trusting the engine's own account of itself.
 */

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  /** One letter, as in ps: R, S, D, Z, T … */
  state: string;
  argv: string[];
}

/** The process table, read from /proc so that it needs no `ps` and sees argv exactly. */
export function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      table.push({
        pid: Number(name),
        state: fields[0]!,
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
        argv: cmdline.split('\0').filter((s, i, all) => s !== '' || i < all.length - 1),
      });
    } catch {
      // gone while we looked
    }
  }
  return table;
}

/** Live (not zombie) processes whose argv mentions `needle`; a zombie is dead and only waits to be reaped. */
export function liveProcessesMentioning(needle: string): ProcessInfo[] {
  return processTable().filter((p) => p.state !== 'Z' && p.state !== 'X' && p.argv.some((a) => a.includes(needle)));
}

export function liveProcessesInGroup(pgrp: number): ProcessInfo[] {
  return processTable().filter((p) => p.pgrp === pgrp && p.state !== 'Z' && p.state !== 'X');
}

export function isLive(pid: number): boolean {
  return processTable().some((p) => p.pid === pid && p.state !== 'Z' && p.state !== 'X');
}

/**
 * A copy of the fake renderer under a path of the test's own, so that the process table tells
 * this test's children from those of test files running beside it.
 */
export function privateFakeDcc(dir: string, name = 'fake-dcc.mjs'): string {
  const file = path.join(dir, name);
  copyFileSync(FAKE_DCC, file);
  chmodSync(file, 0o755);
  return file;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whole-file PNG check: signature, every chunk's CRC, IHDR first, IDAT present, IEND last with nothing after. */
export function pngProblem(file: string): string | null {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    return `cannot read: ${(error as Error).message}`;
  }
  if (data.length < 8 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'no PNG signature';
  let at = 8;
  const types: string[] = [];
  while (at < data.length) {
    if (at + 12 > data.length) return `truncated chunk header at byte ${at}`;
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > data.length) return `chunk ${type} runs past the end`;
    const crc = data.readUInt32BE(at + 8 + length);
    if (zlib.crc32(data.subarray(at + 4, at + 8 + length)) !== crc) return `bad CRC in chunk ${type}`;
    types.push(type);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (types[0] !== 'IHDR') return 'IHDR is not the first chunk';
  if (!types.includes('IDAT')) return 'no IDAT chunk';
  if (types.at(-1) !== 'IEND') return 'no IEND chunk';
  if (at !== data.length) return `${data.length - at} bytes after IEND`;
  return null;
}

/** PRAGMA integrity_check on a store nobody else has open, read-only so the check cannot repair or change it. */
export function integrityCheck(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
  } finally {
    db.close();
  }
}

export function rowCounts(db: Database.Database): Record<'jobs' | 'tasks' | 'frames' | 'attempts', number> {
  const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { jobs: count('jobs'), tasks: count('tasks'), frames: count('frames'), attempts: count('attempts') };
}

/** Small seeded PRNG (mulberry32): a failing run is replayed by its printed seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed to use: SPOOL_CHAOS_SEED replays a run, otherwise a fresh one. */
export function chaosSeed(): number {
  const given = process.env.SPOOL_CHAOS_SEED;
  return given !== undefined && given !== '' ? Number(given) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
}
