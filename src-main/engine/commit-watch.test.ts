import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTemplate, tempDir } from '../../test/helpers/fake-dcc';
import { submitJob } from './commands';
import { Engine } from './engine';
import { storeFile } from './paths';
import { Store } from './store';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

describe('an engine hears other processes commit', () => {
  it('through file events: a job another connection queued renders with the fallback poll out of the way', async () => {
    const dir = tempDir('spool-commits-');
    const data = path.join(dir, 'data');
    // A one-minute fallback: only the folder watch can make this job start within the test's bound.
    engine = await Engine.start({ dataDir: data, killGraceMs: 500, pollMs: 60_000, detect: false, watchPollMs: 0 });
    const e = engine;
    const other = Store.open(storeFile(data));
    const job = await submitJob(other, { dcc: 'command', frames: '1', output: path.join(dir, 'o', 'f_####.png'), overrides: { template: fakeTemplate() } });
    other.close();
    const done = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the engine never heard the commit')), 20_000);
      const check = (): void => {
        const status = e.jobDetail(job.id).job.status;
        if (status === 'succeeded' || status === 'failed') {
          clearTimeout(timer);
          resolve(status);
        } else setTimeout(check, 50);
      };
      check();
    });
    expect(done).toBe('succeeded');
  });
});
