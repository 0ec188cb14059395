import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { tempDir } from '../helpers/fake-dcc';
import { spoolSync } from '../helpers/spool-cli';

/** The data dir holds scene paths, templates and every log: it was 0755, and spool.db 0644. */

const mode = (file: string): number => statSync(file).mode & 0o777;

function expectPrivate(dataDir: string): void {
  expect(mode(dataDir)).toBe(0o700);
  const db = path.join(dataDir, 'spool.db');
  expect(mode(db)).toBe(0o600);
  for (const journal of [`${db}-wal`, `${db}-shm`]) if (existsSync(journal)) expect(mode(journal)).toBe(0o600);
}

describe.skipIf(process.platform === 'win32')('data dir and store file modes', () => {
  it('a data dir the CLI creates is 0700 and its store 0600', () => {
    const dataDir = path.join(tempDir('spool-modes-'), 'new', 'data');
    expect(spoolSync(dataDir, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1']).code).toBe(0);
    expectPrivate(dataDir);
  });

  it('an engine makes a new data dir private, and tightens one an older Spool left open', async () => {
    const dataDir = path.join(tempDir('spool-modes-'), 'data');
    let engine = await Engine.start({ dataDir, detect: false });
    expectPrivate(dataDir);
    await engine.stop();

    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'spool.db'), 0o644);
    engine = await Engine.start({ dataDir, detect: false });
    expectPrivate(dataDir);
    await engine.stop();

    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'spool.db'), 0o644);
    expect(spoolSync(dataDir, ['jobs']).code).toBe(0);
    expectPrivate(dataDir);
  });
});
