/**
 * What the CLI prints comes partly from others: job names and paths from batch files and watch
 * folders, log lines from renderers. A terminal obeys control sequences in them (OSC 52 writes the
 * clipboard, ESC [2J clears the screen, OSC 0 sets the title, bidi overrides reorder text), so
 * every control character is printed as a visible escape instead. Kept: line breaks, tabs, and
 * SGR colour sequences (`ESC [ … m`), which only colour text and which renderers' logs use.
 */

// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m/;
// C0 controls except \t and \n, DEL, C1 controls, and the bidirectional overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (char, offset: number) => {
    if (char === '\x1b' && SGR.test(text.slice(offset, offset + 32))) return char;
    return escapeChar(char);
  });
}

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\r') return '\\r';
  // C1 and bidi characters survive JSON.stringify raw: `\u` keeps `--json` output valid JSON.
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
