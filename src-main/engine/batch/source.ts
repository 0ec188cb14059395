import os from 'node:os';
import path from 'node:path';
import { parseBatch, readBatchFile, type ParsedBatch } from './load';

/**
 * A batch file as a face hands it over: a path on this machine (the CLI, Electron's picker), or
 * the text of a file dropped into a page, which has no folder: its relative scene and output
 * paths start in the user's home folder, and the preview shows them resolved before anything is
 * queued.
 */
export type BatchSource = { file: string } | { name: string; text: string };

export function loadBatchSource(source: BatchSource, home: string = os.homedir()): ParsedBatch {
  if ('file' in source) return readBatchFile(path.resolve(home, source.file), { display: source.file });
  return parseBatch(source.text, { display: source.name, dir: home, json: path.extname(source.name).toLowerCase() === '.json' });
}
