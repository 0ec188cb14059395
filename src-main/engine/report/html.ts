import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { needsPreview } from '../preview/formats';
import { cachedPreview } from '../preview/preview-service';
import { farmInfoLines } from '../farm/farm-info';
import { formatDuration } from '../supervisor/format-duration';
import type { JobReport, Report } from './build';
import { isoMinute } from './markdown';

/**
 * The report as ONE self-contained HTML file: inline CSS, an inline SVG chart of per-frame render
 * times, and a few frames embedded as base64 images when they are small enough. No script, no
 * font, nothing fetched: it reads the same offline, attached to a mail, or years later.
 */
export interface HtmlOptions {
  /** Largest frame embedded as a thumbnail, bytes (default 256 KiB); bigger ones are skipped. */
  maxImageBytes?: number;
  /** All embedded images together, bytes (default 4 MiB). */
  maxTotalImageBytes?: number;
  /** The data dir's preview cache: EXR, TIFF… frames are embedded as their cached PNG preview. */
  previewsDir?: string;
}

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };

export function reportHtml(report: Report, options: HtmlOptions = {}): string {
  const budget = { left: options.maxTotalImageBytes ?? 4 * 1024 * 1024, each: options.maxImageBytes ?? 256 * 1024, previewsDir: options.previewsDir };
  const t = report.totals;
  const statusLine = Object.entries(t.byStatus)
    .map(([status, n]) => `<span class="pill s-${esc(status)}">${n} ${esc(status)}</span>`)
    .join(' ');
  const body = [
    `<header class="top"><div><h1>Spool render report</h1><p class="meta">Generated ${esc(isoMinute(report.generatedAt))}${
      report.since !== null ? ` · jobs since ${esc(isoMinute(report.since))}` : ''
    }</p></div><div class="statuses">${statusLine}</div></header>`,
    `<section class="tiles">
      ${tile('Jobs', String(t.jobs), '')}
      ${tile('Frames done', `${t.framesDone}<small>/${t.frames}</small>`, t.frames ? `${Math.round((100 * t.framesDone) / t.frames)}%` : '')}
      ${tile('Frames failed', String(t.framesFailed), t.framesFailed ? 'see below' : 'none', t.framesFailed ? 'bad' : 'good')}
      ${tile('Render time', esc(t.renderMs ? formatDuration(t.renderMs) : '–'), 'sum of frame times')}
    </section>`,
    report.nextSteps.length
      ? `<section class="next"><h2>What to do next</h2><ul>${report.nextSteps.map((s) => `<li>${code(s)}</li>`).join('')}</ul></section>`
      : '',
    report.jobs.length ? overview(report.jobs) : '<p class="empty">No jobs in this report.</p>',
    ...report.jobs.map((job) => jobArticle(job, budget)),
    `<footer>Made by Spool from its queue; frame times are from the render logs. This file is self-contained.</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Spool">
<title>Spool render report — ${esc(isoMinute(report.generatedAt))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function tile(label: string, value: string, note: string, tone = ''): string {
  return `<div class="tile ${tone}"><div class="label">${esc(label)}</div><div class="value">${value}</div><div class="note">${esc(note)}</div></div>`;
}

function overview(jobs: readonly JobReport[]): string {
  const rows = jobs
    .map((job) => {
      const r = job.renderTime;
      const pct = job.frameCount ? (100 * job.framesDone) / job.frameCount : 0;
      return `<tr>
        <td class="num">${job.id}</td>
        <td><a href="#job-${job.id}">${esc(job.name)}</a></td>
        <td><span class="pill s-${job.status}">${job.status}</span></td>
        <td><div class="bar"><span style="width:${pct.toFixed(1)}%"></span></div><span class="num">${job.framesDone}/${job.frameCount}</span>${
          job.framesFailed ? ` <span class="bad">${job.framesFailed} failed</span>` : ''
        }</td>
        <td class="num">${r ? `${esc(formatDuration(r.minMs))} / ${esc(formatDuration(r.medianMs))} / ${esc(formatDuration(r.maxMs))}` : '–'}</td>
        <td class="num">${job.wallMs !== null ? esc(formatDuration(job.wallMs)) : '–'}</td>
      </tr>`;
    })
    .join('');
  return `<section class="overview"><table>
    <thead><tr><th>#</th><th>Job</th><th>Status</th><th>Frames</th><th>Per frame (min / median / max)</th><th>Wall time</th></tr></thead>
    <tbody>${rows}</tbody></table></section>`;
}

function jobArticle(job: JobReport, budget: Budget): string {
  const meta: [string, string][] = [
    ['DCC', esc(job.dcc)],
    ['Scene', job.scene ? `<code>${esc(job.scene)}</code>` : '–'],
    ['Frames', `${esc(job.framesText)} · ${job.framesDone} done${job.framesFailed ? `, <span class="bad">${job.framesFailed} failed</span>` : ''}${
      job.framesCanceled ? `, ${job.framesCanceled} canceled` : ''
    }${job.framesLeft ? `, ${job.framesLeft} to go` : ''}`],
    ['Render time', job.renderTime ? `${esc(formatDuration(job.renderTime.totalMs))} total · median ${esc(formatDuration(job.renderTime.medianMs))}/frame` : '–'],
    ['Attempts', `${job.attempts.total}${job.attempts.failed ? ` (${job.attempts.failed} failed)` : ''}`],
    ['Devices', esc(job.devices.join(', ') || '–')],
    ...(job.farm ? [['Farm', farmInfoLines(job.farm).map((line) => esc(line.replace(/^farm /, ''))).join('<br>')] as [string, string]] : []),
    ['Output', job.output.folder ? `<code>${esc(job.output.folder)}</code>` : '–'],
  ];
  if (job.after.length) meta.push(['After', job.after.map((d) => `<a href="#job-${d.id}">${esc(d.name)}</a> <span class="pill s-${d.status}">${d.status}</span>`).join(', ')]);
  if (job.tags.length) meta.push(['Tags', job.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ')]);
  const failures = job.failures.length
    ? `<table class="failures"><thead><tr><th>Frames</th><th>Reason</th><th>Retried</th></tr></thead><tbody>${job.failures
        .map((f) => `<tr><td class="num">${esc(f.frameSet)} <small>(${f.frames.length})</small></td><td>${esc(f.reason)}</td><td>${f.notRetried ? 'no' : 'yes'}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const steps = job.steps.length
    ? `<ol class="steps">${job.steps
        .map(
          (s) =>
            `<li><span class="pill s-${s.state}">${s.state}</span> <b>${esc(s.kind)}</b>${s.attempts > 1 ? ` · ${s.attempts} runs` : ''}${
              s.reason ? ` — ${esc(s.reason)}` : ''
            }${s.outputs.length ? `<div class="files">${s.outputs.map((o) => `<code>${esc(o)}</code>`).join(' ')}</div>` : ''}</li>`,
        )
        .join('')}</ol>`
    : '';
  const advice = job.nextSteps.length ? `<div class="advice"><b>Next:</b><ul>${job.nextSteps.map((s) => `<li>${code(s)}</li>`).join('')}</ul></div>` : '';
  return `<article class="job" id="job-${job.id}">
  <header><h2><span class="id">#${job.id}</span> ${esc(job.name)}</h2><span class="pill big s-${job.status}">${job.status}</span></header>
  ${job.reason ? `<p class="reason${job.status === 'failed' ? '' : ' quiet'}">${esc(job.reason)}</p>` : ''}
  ${advice}
  <div class="grid">
    <dl>${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
    <figure class="chart">${chart(job)}<figcaption>Render time per frame${job.renderTime ? ` · dashed: median ${esc(formatDuration(job.renderTime.medianMs))}` : ''}</figcaption></figure>
  </div>
  ${thumbnails(job, budget)}
  ${failures}
  ${steps ? `<h3>After the render</h3>${steps}` : ''}
</article>`;
}

/** One bar per frame (buckets of the slowest beyond 400 frames); failed frames in red. */
export function chart(job: JobReport): string {
  const W = 560;
  const H = 170;
  const pad = { l: 52, r: 10, t: 12, b: 26 };
  const pw = W - pad.l - pad.r;
  const ph = H - pad.t - pad.b;
  const frames = [...job.frames].sort((a, b) => a.frame - b.frame);
  if (frames.length === 0) return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="no frames"></svg>`;
  const maxBuckets = 400;
  const per = Math.ceil(frames.length / maxBuckets);
  const buckets: { first: number; last: number; ms: number | null; state: string }[] = [];
  for (let i = 0; i < frames.length; i += per) {
    const group = frames.slice(i, i + per);
    const times = group.filter((f) => f.state === 'done' && f.renderMs !== null).map((f) => f.renderMs!);
    const state = group.some((f) => f.state === 'failed') ? 'failed' : group.every((f) => f.state === 'done') ? 'done' : group.some((f) => f.state === 'running') ? 'running' : 'other';
    buckets.push({ first: group[0]!.frame, last: group.at(-1)!.frame, ms: times.length ? Math.max(...times) : null, state });
  }
  const max = Math.max(1, ...buckets.map((b) => b.ms ?? 0));
  const bw = pw / buckets.length;
  const gap = bw > 4 ? Math.min(2, bw * 0.2) : 0;
  const y = (ms: number) => pad.t + ph - (ms / max) * ph;
  const bars = buckets
    .map((b, i) => {
      const x = pad.l + i * bw + gap / 2;
      const w = Math.max(0.5, bw - gap);
      const label = `${b.first === b.last ? `frame ${b.first}` : `frames ${b.first}–${b.last}`}: ${b.ms !== null ? formatDuration(b.ms) : b.state}`;
      if (b.state === 'failed') return `<rect class="failed" x="${x.toFixed(2)}" y="${pad.t}" width="${w.toFixed(2)}" height="${ph}"><title>${esc(label)}</title></rect>`;
      if (b.ms === null) return `<rect class="pending" x="${x.toFixed(2)}" y="${pad.t + ph - 3}" width="${w.toFixed(2)}" height="3"><title>${esc(label)}</title></rect>`;
      const top = y(b.ms);
      return `<rect class="done" x="${x.toFixed(2)}" y="${top.toFixed(2)}" width="${w.toFixed(2)}" height="${(pad.t + ph - top).toFixed(2)}"><title>${esc(label)}</title></rect>`;
    })
    .join('');
  const median = job.renderTime ? `<line class="median" x1="${pad.l}" x2="${W - pad.r}" y1="${y(job.renderTime.medianMs).toFixed(2)}" y2="${y(job.renderTime.medianMs).toFixed(2)}"/>` : '';
  const timed = buckets.some((b) => b.ms !== null);
  const grid = timed ? [0.5, 1].map((f) => `<line class="grid" x1="${pad.l}" x2="${W - pad.r}" y1="${y(max * f).toFixed(2)}" y2="${y(max * f).toFixed(2)}"/>`).join('') : '';
  const yLabels = timed
    ? [0, 0.5, 1]
        .map((f) => `<text class="axis" x="${pad.l - 6}" y="${(y(max * f) + 4).toFixed(2)}" text-anchor="end">${esc(f === 0 ? '0' : formatDuration(max * f))}</text>`)
        .join('')
    : `<text class="note" x="${pad.l + pw / 2}" y="${pad.t + ph / 2 + 4}" text-anchor="middle">no frame rendered</text>`;
  const xLabels =
    `<text class="axis" x="${pad.l}" y="${H - 8}">${frames[0]!.frame}</text>` +
    (frames.length > 1 ? `<text class="axis" x="${W - pad.r}" y="${H - 8}" text-anchor="end">${frames.at(-1)!.frame}</text>` : '') +
    `<text class="axis" x="${pad.l + pw / 2}" y="${H - 8}" text-anchor="middle">frame</text>`;
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="render time per frame">${grid}<line class="base" x1="${pad.l}" x2="${W - pad.r}" y1="${pad.t + ph}" y2="${pad.t + ph}"/>${bars}${median}${yLabels}${xLabels}</svg>`;
}

/** First, middle and last done frame, and a contact sheet a preview step made, when small enough. */
function thumbnails(job: JobReport, budget: Budget): string {
  const done = job.frames.filter((f) => f.state === 'done' && f.output).sort((a, b) => a.frame - b.frame);
  const picks = [...new Set([done[0], done[Math.floor((done.length - 1) / 2)], done.at(-1)])].filter((f) => f !== undefined);
  const figures: string[] = [];
  for (const f of picks) {
    const img = embed(f.output!, budget);
    if (img) figures.push(`<figure>${img}<figcaption>frame ${f.frame}</figcaption></figure>`);
  }
  const sheet = job.steps.flatMap((s) => s.outputs).find((o) => /_sheet\.png$/.test(o));
  const sheetImg = sheet ? embed(sheet, budget, 'sheet', 1024 * 1024) : null;
  if (sheetImg) {
    figures.push(`<figure class="sheet">${sheetImg}<figcaption>contact sheet</figcaption></figure>`);
  }
  return figures.length ? `<div class="thumbs">${figures.join('')}</div>` : '';
}

interface Budget {
  left: number;
  each: number;
  previewsDir?: string;
}

function embed(original: string, budget: Budget, cls = '', eachMax = budget.each): string | null {
  // The viewer's preview, when one was made: the report itself starts no oiiotool.
  const preview = budget.previewsDir && needsPreview(original) ? cachedPreview(budget.previewsDir, original) : null;
  const file = preview ?? original;
  const mime = MIME[path.extname(file).toLowerCase()];
  if (!mime) return null;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return null;
  }
  if (size === 0 || size > eachMax || size > budget.left) return null;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return null;
  }
  budget.left -= size;
  const dims = mime === 'image/png' ? pngSize(file) : null;
  // Tiny renders are shown large with hard pixels, not as a blur.
  const small = dims !== null && dims.width < 120;
  const sizeAttrs = dims ? ` width="${dims.width}" height="${dims.height}"` : '';
  return `<img class="${cls}${small ? ' pixelated' : ''}"${sizeAttrs} alt="${esc(path.basename(original))}" src="data:${mime};base64,${data.toString('base64')}">`;
}

function pngSize(file: string): { width: number; height: number } | null {
  const buf = Buffer.alloc(24);
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    if (readSync(fd, buf, 0, 24, 0) < 24) return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (buf.readUInt32BE(12) !== 0x49484452) return null; // IHDR
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escapes, then shows `backticked` commands as code. */
function code(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const CSS = `
:root{--fg:#1d2330;--muted:#5f6b7a;--line:#dde2ea;--bg:#f5f7fa;--card:#fff;--accent:#2f6fdb;--ok:#1f8a4c;--bad:#c93a3a;--warn:#b7791f;--idle:#8792a2}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
main{max-width:1040px;margin:0 auto;padding:28px 24px 40px}
h1{font-size:24px;margin:0}
h2{font-size:17px;margin:0}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:18px 0 6px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f6;border-radius:4px;padding:1px 5px;overflow-wrap:anywhere}
a{color:var(--accent);text-decoration:none}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:16px;margin-bottom:18px}
.meta{color:var(--muted);margin:4px 0 0}
.statuses{display:flex;gap:6px;flex-wrap:wrap;justify-content:flex-end}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:18px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.tile .label{color:var(--muted);font-size:12px}
.tile .value{font-size:26px;font-weight:650;margin-top:2px}
.tile .value small{font-size:15px;color:var(--muted);font-weight:500}
.tile .note{color:var(--muted);font-size:12px}
.tile.bad .value{color:var(--bad)}
.tile.good .value{color:var(--ok)}
.next{background:#fff6e6;border:1px solid #f0d39b;border-radius:10px;padding:12px 16px;margin-bottom:18px}
.next h2{font-size:15px;color:#8a5a00}
.next ul,.advice ul{margin:6px 0 0;padding-left:20px}
.next li,.advice li{margin:3px 0}
.overview{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;margin-bottom:22px}
table{border-collapse:collapse;width:100%}
th{font-size:12px;color:var(--muted);font-weight:600;text-align:left;background:#fafbfd}
th,td{padding:8px 12px;border-bottom:1px solid var(--line);vertical-align:middle}
tr:last-child td{border-bottom:0}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:inline-block;width:90px;height:7px;border-radius:4px;background:#e6eaf0;margin-right:8px;vertical-align:middle;overflow:hidden}
.bar span{display:block;height:100%;background:var(--ok)}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;background:#e9edf3;color:var(--muted);white-space:nowrap}
.pill.big{font-size:13px;padding:3px 12px}
.s-succeeded{background:#e1f4e8;color:var(--ok)}
.s-failed{background:#fbe4e4;color:var(--bad)}
.s-blocked{background:#fdf0d9;color:var(--warn)}
.s-running,.s-waiting{background:#e3ecfb;color:var(--accent)}
.s-canceled,.s-paused{background:#eceff3;color:var(--idle)}
.bad{color:var(--bad)}
.job{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px;margin-bottom:16px;break-inside:avoid}
.job>header{display:flex;justify-content:space-between;align-items:center;gap:12px}
.job .id{color:var(--muted);font-weight:500}
.reason{margin:8px 0 0;color:var(--bad)}
.reason.quiet{color:var(--warn)}
.advice{background:#fff9ee;border-left:3px solid var(--warn);padding:8px 12px;margin:10px 0 0;border-radius:0 6px 6px 0}
.grid{display:grid;grid-template-columns:minmax(0,1fr) 500px;gap:18px;margin-top:12px;align-items:start}
dl{display:grid;grid-template-columns:92px minmax(0,1fr);gap:5px 10px;margin:0}
dt{color:var(--muted)}
dd{margin:0;min-width:0}
.chart{margin:0}
.chart svg{display:block;width:100%;height:auto;background:#fbfcfe;border:1px solid var(--line);border-radius:8px}
.chart figcaption{color:var(--muted);font-size:12px;margin-top:4px}
svg .done{fill:#4a86e8}
svg .failed{fill:var(--bad);opacity:.35}
svg .pending{fill:#b8c1cd}
svg .median{stroke:#1d2330;stroke-width:1;stroke-dasharray:4 3;opacity:.6}
svg .grid{stroke:#e4e8ee}
svg .base{stroke:#9aa4b2}
svg .axis{font-size:11px;fill:var(--muted);font-family:inherit}
svg .note{font-size:13px;fill:var(--muted);font-family:inherit}
.thumbs{display:flex;gap:12px;flex-wrap:wrap;margin-top:14px}
.thumbs figure{margin:0}
.thumbs img{display:block;width:192px;height:auto;border-radius:6px;border:1px solid var(--line);background:#000}
.thumbs img.sheet{width:auto;max-width:384px;max-height:220px}
.thumbs img.pixelated{image-rendering:pixelated}
.thumbs figcaption{color:var(--muted);font-size:12px;margin-top:3px}
.failures{margin-top:14px;border:1px solid var(--line);border-radius:8px;overflow:hidden}
.steps{margin:0;padding-left:20px}
.steps li{margin:4px 0}
.steps .files{margin-top:3px;display:flex;gap:6px;flex-wrap:wrap}
.tag{display:inline-block;background:#eef1f6;border-radius:4px;padding:0 6px;font-size:12px}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:12px;margin-top:26px;text-align:center}
@media (max-width:860px){.grid{grid-template-columns:1fr}.tiles{grid-template-columns:repeat(2,1fr)}}
@media print{body{background:#fff}.job,.overview,.tile{border-color:#ccc}}
`;
