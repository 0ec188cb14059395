/**
 * Renders DCC output's ANSI colours without HTML: text becomes styled segments that React puts in
 * spans. Only SGR (`ESC[…m`) is interpreted; every other escape sequence is dropped.
 */
export interface AnsiStyle {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle | null;
}

const PLAIN: AnsiStyle = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false };

/** The 16 basic colours as CSS variables, so the theme decides how they look. */
const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const basic = (i: number, bright: boolean): string => `var(--ansi-${bright ? 'bright-' : ''}${BASIC[i]})`;

function color256(n: number): string | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  if (n < 8) return basic(n, false);
  if (n < 16) return basic(n - 8, true);
  if (n < 232) {
    const v = n - 16;
    const level = (c: number): number => (c === 0 ? 0 : 55 + c * 40);
    return `rgb(${level(Math.floor(v / 36))}, ${level(Math.floor(v / 6) % 6)}, ${level(v % 6)})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}

function applySgr(style: AnsiStyle, params: number[]): AnsiStyle {
  const s = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) Object.assign(s, PLAIN);
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p >= 30 && p <= 37) s.fg = basic(p - 30, false);
    else if (p === 39) s.fg = null;
    else if (p >= 40 && p <= 47) s.bg = basic(p - 40, false);
    else if (p === 49) s.bg = null;
    else if (p >= 90 && p <= 97) s.fg = basic(p - 90, true);
    else if (p >= 100 && p <= 107) s.bg = basic(p - 100, true);
    else if (p === 38 || p === 48) {
      const mode = params[i + 1];
      let value: string | null = null;
      if (mode === 5) {
        value = color256(params[i + 2] ?? -1);
        i += 2;
      } else if (mode === 2) {
        const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]];
        if ([r, g, b].every((c) => c !== undefined && c >= 0 && c <= 255)) value = `rgb(${r}, ${g}, ${b})`;
        i += 4;
      } else {
        break; // malformed: ignore the rest of this sequence
      }
      if (p === 38) s.fg = value;
      else s.bg = value;
    }
  }
  return s;
}

const isPlain = (s: AnsiStyle): boolean =>
  s.fg === null && s.bg === null && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse;

// CSI sequences (ESC [ params final), OSC (ESC ] … BEL|ST) and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Splits one line into styled segments; `carry` is the style left open by the previous line. */
export function parseAnsi(line: string, carry: AnsiStyle | null = null): { segments: AnsiSegment[]; end: AnsiStyle | null } {
  if (!line.includes('\x1b')) {
    return { segments: line ? [{ text: line, style: carry }] : [], end: carry };
  }
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = carry ?? PLAIN;
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(line); m !== null; m = ESCAPE.exec(line)) {
    if (m.index > last) segments.push({ text: line.slice(last, m.index), style: isPlain(style) ? null : style });
    last = m.index + m[0].length;
    if (m[2] === 'm') {
      const params = (m[1] ?? '')
        .split(/[;:]/)
        .filter((x, i, all) => x !== '' || all.length > 1)
        .map((x) => (x === '' ? 0 : Number(x)));
      style = applySgr(style, params.filter((n) => Number.isFinite(n)));
    }
  }
  if (last < line.length) segments.push({ text: line.slice(last), style: isPlain(style) ? null : style });
  return { segments: mergeAdjacent(segments), end: isPlain(style) ? null : style };
}

/** Text with every escape sequence removed: what search and copy work on. */
export function stripAnsi(line: string): string {
  return line.includes('\x1b') ? line.replace(ESCAPE, '') : line;
}

function mergeAdjacent(segments: AnsiSegment[]): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  for (const seg of segments) {
    const prev = out[out.length - 1];
    if (prev && prev.style === seg.style) prev.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}

/** The inline style React applies to one segment (CSSOM, so the strict style-src CSP allows it). */
export function segmentCss(style: AnsiStyle): Record<string, string> {
  const css: Record<string, string> = {};
  const fg = style.inverse ? (style.bg ?? 'var(--log-bg)') : style.fg;
  const bg = style.inverse ? (style.fg ?? 'var(--log-fg)') : style.bg;
  if (fg) css.color = fg;
  if (bg) css.backgroundColor = bg;
  if (style.bold) css.fontWeight = '600';
  if (style.dim) css.opacity = '0.65';
  if (style.italic) css.fontStyle = 'italic';
  if (style.underline) css.textDecoration = 'underline';
  return css;
}
