import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { StoreQueue, type QueueClient } from '../src-main/engine/queue-client';
import type { JobSummary } from '../src-main/engine/types';
import { CLI, fakeTemplate, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

/**
 * One submit path: the in-process Engine and the store-backed client (what the CLI uses beside a
 * running engine) are both a QueueClient and must answer a submission the same way.
 */
const opened: { close(): void | Promise<void> }[] = [];
afterEach(async () => {
  for (const it of opened.splice(0).reverse()) await it.close();
});

async function startEngine(dataDir: string): Promise<Engine> {
  const engine = await Engine.start({ dataDir, detect: false, watchPollMs: 0, killGraceMs: 500 });
  opened.push({ close: () => engine.stop() });
  return engine;
}

function openStoreQueue(dataDir: string): StoreQueue {
  const queue = StoreQueue.open(dataDir);
  opened.push(queue);
  return queue;
}

/** What a submission decided, without what differs by when and where it was stored. */
function decided(job: JobSummary) {
  const { id: _id, createdAt: _created, ...rest } = job;
  return rest;
}

describe('QueueClient', () => {
  it('gives the same job for the same submission, through the engine or through the store', async () => {
    const dir = tempDir('spool-qc-');
    const clients: QueueClient[] = [await startEngine(path.join(dir, 'engine')), openStoreQueue(path.join(dir, 'store'))];
    const jobs: JobSummary[] = [];
    for (const client of clients) {
      client.writeSetting('defaults', { retries: 5, stallTimeoutSec: 60, taskTimeoutSec: null });
      jobs.push(
        await client.submit({
          dcc: 'command',
          name: 'same',
          frames: '1-6',
          chunk: 3,
          priority: 7,
          output: path.join(dir, 'out', 'f_####.png'),
          overrides: { template: fakeTemplate() },
        }),
      );
    }
    const [viaEngine, viaStore] = jobs as [JobSummary, JobSummary];
    expect(decided(viaStore)).toEqual(decided(viaEngine));
    expect(viaStore).toMatchObject({ status: 'queued', retries: 5, stallTimeoutSec: 60, priority: 7, frameCount: 6 });
    expect(clients[1]!.jobDetail(viaStore.id).tasks.map((t) => t.index)).toEqual([0, 1]);
    // Refusals read the same too.
    for (const client of clients) {
      await expect(client.submit({ dcc: 'command', frames: '1-x', output: path.join(dir, 'out', 'g_####.png'), overrides: { template: fakeTemplate() } })).rejects.toThrow(
        /^frames: /,
      );
      expect(() => client.setPriority(viaEngine.id, 5000)).toThrow('priority: priority is a whole number from -1000 to 1000');
    }
  });

  it('spool submit with no engine running queues through the store, and a later engine renders it', async () => {
    const dir = tempDir('spool-qc-cli-');
    const data = path.join(dir, 'data');
    const queued = spoolSync(data, ['submit', '--template', fakeTemplate(), '--frames', '1-3', '--output', 'out/f_####.png'], { cwd: dir });
    expect(queued).toMatchObject({ code: 0, stdout: '1\n' });
    expect(queued.stderr).toContain('No Spool engine is running');
    expect(openStoreQueue(data).job(1)).toMatchObject({ status: 'queued', frameCount: 3 });

    const engine = await startEngine(data);
    await engine.untilIdle();
    expect(engine.job(1)).toMatchObject({ status: 'succeeded', framesDone: 3 });
  });

  it('spool submit --wait beside a running engine queues through the store and waits for that engine', async () => {
    const dir = tempDir('spool-qc-wait-');
    const data = path.join(dir, 'data');
    await startEngine(data);
    const child = spawn(process.execPath, [CLI, '--data-dir', data, 'submit', '--template', fakeTemplate(), '--frames', '1-2', '--output', 'out/f_####.png', '--wait', '--json'], {
      cwd: dir,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // The engine runs in this process: the event loop must stay free while the CLI waits.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, status: 'succeeded', framesDone: 2 });
  });
});
