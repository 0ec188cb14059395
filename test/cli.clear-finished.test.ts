import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeTemplate, tempDir } from './helpers/fake-dcc';
import { spoolSync } from './helpers/spool-cli';

const listed = (data: string, ...flags: string[]) =>
  (JSON.parse(spoolSync(data, ['jobs', '--json', ...flags]).stdout) as { name: string; status: string; archivedAt: string | null; medianFrameMs: number | null }[]).map((j) => j.name);

describe('spool jobs --clear-finished', () => {
  it('moves finished jobs from the queue to History; they stay in the store, and --all lists them', () => {
    const dir = tempDir('spool-clear-');
    const data = path.join(dir, 'data');
    const out = path.join(dir, 'out', 'f_####.png');
    expect(spoolSync(data, ['submit', '--template', fakeTemplate(), '--frames', '1-2', '--output', out, '--name', 'rendered']).code).toBe(0);
    expect(spoolSync(data, ['run', '--until-idle']).code).toBe(0);
    expect(spoolSync(data, ['submit', '--template', fakeTemplate(), '--frames', '1', '--output', out, '--name', 'waiting']).code).toBe(0);
    expect(spoolSync(data, ['pause', 'waiting']).code).toBe(0);

    const table = spoolSync(data, ['jobs']).stdout;
    expect(table).toMatch(/PER FRAME/);
    const rendered = JSON.parse(spoolSync(data, ['show', 'rendered', '--json']).stdout) as { medianFrameMs: number | null; wallMs: number | null };
    expect(rendered.medianFrameMs).not.toBeNull();
    expect(rendered.wallMs).not.toBeNull();

    const cleared = spoolSync(data, ['jobs', '--clear-finished']);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toBe('Moved 1 finished job to History: 1\n');
    expect(listed(data)).toEqual(['waiting']);
    expect(listed(data, '--all')).toEqual(['rendered', 'waiting']);
    expect(spoolSync(data, ['show', 'rendered']).stdout).toContain('job 1 "rendered" — succeeded');
    expect(spoolSync(data, ['jobs', '--clear-finished']).stdout).toBe('No finished jobs in the queue.\n');
  }, 60_000);
});
