import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src-main/cli/terminal-safe';
import { tempDir } from '../helpers/fake-dcc';
import { spoolSync } from '../helpers/spool-cli';

/**
 * A job's name comes from whoever wrote the batch file or dropped it in a watch folder. Printed
 * raw, `ESC ] 52` wrote the reader's clipboard and `ESC [2J` cleared their screen.
 */

const OSC52 = '\x1b]52;c;cm0gLXJmIH4=\x07';
const CLEAR = '\x1b[2J';
const NAME = `shot ${OSC52}${CLEAR}\x9b6n\u202eevil`;

describe('control characters in what the CLI prints', () => {
  const dataDir = path.join(tempDir('spool-cli-escapes-'), 'data');

  it('spool jobs, show, --json and errors print a hostile job name as visible escapes', () => {
    expect(spoolSync(dataDir, ['submit', '--dcc', 'command', '--template', 'true', '--frames', '1', '--name', NAME]).code).toBe(0);
    for (const args of [['jobs'], ['show', '1'], ['jobs', '--json'], ['show', '1', '--json'], ['cancel', '1'], ['logs', NAME]]) {
      const r = spoolSync(dataDir, args);
      const printed = r.stdout + r.stderr;
      // eslint-disable-next-line no-control-regex
      expect(printed, args.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
      if (args.includes('--json')) expect(JSON.stringify(JSON.parse(r.stdout))).toContain('\\u001b]52');
      if (!args.includes('--json') && args[0] !== 'logs') expect(printed, args.join(' ')).toContain('shot \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\u009b6n\\u202eevil');
    }
  });

  it('keeps line breaks, tabs and colours, and escapes everything else', () => {
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc');
    expect(terminalSafe('\x1b[1;31mred\x1b[0m')).toBe('\x1b[1;31mred\x1b[0m');
    expect(terminalSafe(`${OSC52}x`)).toBe('\\x1b]52;c;cm0gLXJmIH4=\\x07x');
    expect(terminalSafe('\x1b[2J\x1b]0;title\x1b\\\r\x00\x7f')).toBe('\\x1b[2J\\x1b]0;title\\x1b\\\\r\\x00\\x7f');
  });
});
