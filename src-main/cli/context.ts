import path from 'node:path';
import { defaultDataDir } from '../engine/paths';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export interface CliContext extends CliIo {
  dataDir: string;
  cwd: string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

export function makeContext(dataDirFlag: string | undefined, io: CliIo = processIo): CliContext {
  return { ...io, dataDir: dataDirFlag ? path.resolve(dataDirFlag) : defaultDataDir(), cwd: process.cwd() };
}

/** Exit codes are part of the CLI's contract (README). */
export const EXIT = { ok: 0, jobFailed: 1, badInput: 2, notFound: 3, interrupted: 130 } as const;
