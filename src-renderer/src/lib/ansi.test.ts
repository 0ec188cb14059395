import { describe, expect, it } from 'vitest';
import { parseAnsi, segmentCss, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('leaves plain text alone', () => {
    expect(parseAnsi('Fra:1 Mem:9.4M').segments).toEqual([{ text: 'Fra:1 Mem:9.4M', style: null }]);
  });

  it('splits on SGR codes: basic, bright, bold, reset', () => {
    const { segments, end } = parseAnsi('\x1b[1;32mRender complete\x1b[0m in \x1b[93m3s\x1b[39m');
    expect(segments.map((s) => s.text)).toEqual(['Render complete', ' in ', '3s']);
    expect(segments[0]!.style).toMatchObject({ fg: 'var(--ansi-green)', bold: true });
    expect(segments[1]!.style).toBeNull();
    expect(segments[2]!.style).toMatchObject({ fg: 'var(--ansi-bright-yellow)' });
    expect(end).toBeNull();
  });

  it('understands 256-colour and true-colour codes', () => {
    const { segments } = parseAnsi('\x1b[38;5;196mred\x1b[48;2;10;20;30m on blue');
    expect(segments[0]!.style!.fg).toBe('rgb(255, 0, 0)');
    expect(segments[1]!.style!.bg).toBe('rgb(10, 20, 30)');
  });

  it('carries an open style into the next line and drops non-colour escapes', () => {
    const first = parseAnsi('\x1b[31mstill');
    const second = parseAnsi('red\x1b[2K\x1b]0;title\x07!', first.end);
    expect(second.segments).toEqual([{ text: 'red!', style: first.end }]);
  });

  it('strips every escape for search and copy', () => {
    expect(stripAnsi('\x1b[1;31mError:\x1b[0m bad\x1b[K')).toBe('Error: bad');
  });

  it('turns a style into CSSOM properties (no HTML strings)', () => {
    const { segments } = parseAnsi('\x1b[1;4;7;34mx');
    expect(segmentCss(segments[0]!.style!)).toEqual({
      color: 'var(--log-bg)',
      backgroundColor: 'var(--ansi-blue)',
      fontWeight: '600',
      textDecoration: 'underline',
    });
  });
});
