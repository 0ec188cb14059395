import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAndSpool, noisyTemplate, openApp, poll, waitUntil } from './helpers';

/**
 * A renderer printing 1 MB lines, then a fast flood, then `THE END`. Before, the open view showed
 * 117 of 898 lines, `THE END` never arrived, nothing said lines were missing, and the tab held
 * about 550 MB of heap.
 */
const FLOODER = `import fs from 'node:fs';
import path from 'node:path';
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, all) => (v.startsWith('--') ? [...acc, [v.slice(2), all[i + 1]]] : acc), []));
const write = (text) => (process.stdout.write(text) ? undefined : new Promise((r) => process.stdout.once('drain', r)));
const big = 'x'.repeat(1024 * 1024);
const until = Date.now() + Number(args.seconds) * 1000;
for (let i = 0; Date.now() < until; i++) await write('big ' + i + ' ' + big + '\\n');
const wide = 'y'.repeat(1000);
for (let i = 0; i < 20000; i++) await write('fast ' + i + ' ' + wide + '\\n');
await write('last big ' + big + '\\n');
await write('THE END\\n');
const out = args.out.replace(/#+/, (m) => String(args.start).padStart(m.length, '0'));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
`;

describe('the live log under a flood of huge lines (browser mode)', () => {
  const ctx = browserAndSpool();

  it('always shows the tail, marks skipped lines, cuts long lines with a way to see them, and keeps the heap bounded', async () => {
    const script = path.join(ctx.spool.tmp, 'flooder.mjs');
    writeFileSync(script, FLOODER);
    const job = await ctx.spool.api('jobs.submit', {
      dcc: 'command',
      name: 'flood',
      frames: '1',
      chunk: 1,
      output: path.join(ctx.spool.tmp, 'out', 'f_####.png'),
      overrides: { template: noisyTemplate(script, '--seconds 4') },
    });
    const { page, problems } = await openApp(ctx.browser, ctx.spool, `#/job/${job.id}`);
    await waitUntil('the render to finish', async () => (await ctx.spool.api('jobs.get', { id: job.id })).job.status === 'succeeded', 90_000, 250);

    // The last line shows, at the bottom, once the view has caught up.
    const scroller = page.getByTestId('log-scroll');
    await poll(() => page.locator('.log-line', { hasText: 'THE END' }).count(), 20_000).toBe(1);
    await poll(() => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 30)).toBe(true);

    // Lines did not all come through: the view says so where they went missing.
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    await poll(() => page.locator('.log-line-meta', { hasText: /lines skipped here|earlier log not shown/ }).count()).toBeGreaterThan(0);

    // A huge line is shown cut, and the whole of what is held opens in a panel that says where the rest is.
    await page.getByTestId('jump-latest').click();
    const more = page.locator('.log-line', { hasText: 'last big' }).getByTestId('log-line-more');
    await more.waitFor();
    expect(await more.textContent()).toMatch(/more characters/);
    await more.click();
    await page.getByTestId('log-whole-line').waitFor();
    // The file is named even for an attempt that started after the view last fetched the job.
    await poll(() => page.getByTestId('log-whole-line-cut').textContent()).toMatch(/more characters of this line are in the log file: .*\.log/);
    await page.keyboard.press('Escape');

    // Memory: what the tab holds after the flood (garbage collected first) is a bounded view, not the flood.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    expect(usedSize).toBeLessThan(150 * 1024 * 1024);
    expect(problems).toEqual([]);
    await page.close();
  }, 150_000);
});
