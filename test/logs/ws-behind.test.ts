import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Events } from '../../src-preload/contract';
import { Engine } from '../../src-main/engine/engine';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { tempDir } from '../helpers/fake-dcc';

/**
 * A browser tab that stops reading while a render floods its log: it used to be skipped silently
 * and never told, so its view lacked the lines, the last ones included. Lines are fed as the
 * engine emits them; the batcher, the server and the socket are the real ones.
 */

let engine: Engine | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  await engine?.stop();
  server = null;
  engine = null;
});

describe('a WebSocket client that fell behind', () => {
  it('is told how many lines it missed once it catches up, after the last line too', async () => {
    const dir = tempDir('spool-ws-behind-');
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    engine = await Engine.start({ dataDir, detect: false });
    server = await startServer({ engine, host: '127.0.0.1', port: 0, rendererDir: dir, dataDir, detectors: { hardware: async () => null, dccs: async () => [] } });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { Authorization: `Bearer ${server.token}` } });
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const groups: Events['log'] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { event: string; payload: Events['log'] };
      if (message.event === 'log') groups.push(...message.payload);
    });

    // The tab stops reading; 40 MB of lines are sent its way, the last one 'THE END'.
    const socket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const line = 'z'.repeat(8000);
    for (let batch = 0; batch < 50; batch++) {
      for (let i = 0; i < 100; i++) engine.emit('log', { jobId: 7, taskId: 1, attemptId: 3, stream: 'stdout', line: `${batch * 100 + i} ${line}` });
      await new Promise((r) => setTimeout(r, 60));
    }
    engine.emit('log', { jobId: 7, taskId: 1, attemptId: 3, stream: 'stdout', line: 'THE END' });
    await new Promise((r) => setTimeout(r, 200));
    socket.resume();

    // Every line is accounted for: delivered, or counted in a skip notice that comes last.
    const delivered = () => groups.filter((g) => !g.skipped).reduce((n, g) => n + g.lines.length, 0);
    const skipped = () => groups.reduce((n, g) => n + (g.skipped ?? 0), 0);
    for (let i = 0; i < 200 && delivered() + skipped() < 5001; i++) await new Promise((r) => setTimeout(r, 50));
    ws.close();
    expect(skipped()).toBeGreaterThan(0);
    expect(delivered() + skipped()).toBe(5001);
    const last = groups.at(-1)!;
    expect(last.skipped).toBeGreaterThan(0);
    expect(last).toMatchObject({ jobId: 7, attemptId: 3 });
    expect(last.lines[0]!.text).toMatch(/lines skipped here/);
  });
});
