import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptToken, TOKEN_FILE } from './auth';

const dir = (): string => mkdtempSync(path.join(os.tmpdir(), 'spool-token-'));

describe('the kept browser token', () => {
  it('is made once (0600) and kept on the next start; rotate replaces it', () => {
    const dataDir = dir();
    const first = keptToken(dataDir);
    expect(first.renewed).toBe('missing');
    if (process.platform !== 'win32') expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(keptToken(dataDir)).toEqual({ ...first, renewed: null });
    const rotated = keptToken(dataDir, { rotate: true });
    expect(rotated.renewed).toBe('asked');
    expect(rotated.token).not.toBe(first.token);
    expect(readFileSync(first.file, 'utf8').trim()).toBe(rotated.token);
  });

  it.skipIf(process.platform === 'win32')('never trusts a file others could read, a symlink or a damaged one', () => {
    const dataDir = dir();
    const { file, token } = keptToken(dataDir);
    chmodSync(file, 0o644);
    const opened = keptToken(dataDir);
    expect(opened.renewed).toBe('unsafe');
    expect(opened.token).not.toBe(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const elsewhere = path.join(dir(), 'planted');
    writeFileSync(elsewhere, `${'a'.repeat(43)}\n`, { mode: 0o600 });
    const linked = dir();
    symlinkSync(elsewhere, path.join(linked, TOKEN_FILE));
    const fromLink = keptToken(linked);
    expect(fromLink.renewed).toBe('unsafe');
    expect(fromLink.token).not.toBe('a'.repeat(43));
    expect(readFileSync(elsewhere, 'utf8').trim()).toBe('a'.repeat(43));

    writeFileSync(file, 'short\n', { mode: 0o600 });
    expect(keptToken(dataDir).renewed).toBe('damaged');
  });
});
