import type { CliIo } from './context';

/**
 * A live status line on a terminal; quiet plain lines (no carriage returns) when piped. Progress
 * goes to stderr so that stdout carries only results (`--json` stays parseable).
 */
export class ProgressLine {
  private shown = false;
  private lastPlain = 0;

  constructor(private readonly io: CliIo) {}

  update(text: string): void {
    if (this.io.isTTY) {
      const width = process.stderr.columns ?? 100;
      this.io.eraseLine?.();
      this.io.err(text.slice(0, width - 1));
      this.shown = true;
    } else if (Date.now() - this.lastPlain > 10_000) {
      // Piped output gets a heartbeat now and then rather than a redraw every 200 ms.
      this.lastPlain = Date.now();
      this.io.err(`${text}\n`);
    }
  }

  line(text: string): void {
    this.clear();
    this.io.err(`${text}\n`);
  }

  clear(): void {
    if (this.shown) this.io.eraseLine?.();
    this.shown = false;
  }
}

/** 75_000 ms → "01:15"; an hour or more → "1:02:03". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
