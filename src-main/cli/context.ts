import { once } from 'node:events';
import path from 'node:path';
import { defaultDataDir } from '../engine/paths';
import { terminalSafe } from './terminal-safe';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Resolves once what `out` wrote has gone out: long outputs wait so that they never pile up in memory. */
  drained?(): Promise<void>;
  /** Erases the terminal's current line (a live progress line); the one control sequence Spool itself writes. */
  eraseLine?(): void;
}

export interface CliContext extends CliIo {
  dataDir: string;
  cwd: string;
}

/** Every byte the CLI prints passes `terminalSafe`: job names, paths and logs are not ours to trust. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(terminalSafe(text)),
  err: (text) => process.stderr.write(terminalSafe(text)),
  isTTY: Boolean(process.stderr.isTTY),
  drained: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
  eraseLine: () => process.stderr.write('\r\x1b[2K'),
};

export function makeContext(dataDirFlag: string | undefined, io: CliIo = processIo): CliContext {
  return { ...io, dataDir: dataDirFlag ? path.resolve(dataDirFlag) : defaultDataDir(), cwd: process.cwd() };
}

/** Exit codes are part of the CLI's contract (README). */
export const EXIT = { ok: 0, jobFailed: 1, badInput: 2, notFound: 3, interrupted: 130 } as const;
