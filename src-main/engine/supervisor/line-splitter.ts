import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into lines. Breaks on `\n`, `\r\n` and a lone `\r`, because
 * renderers draw progress bars by rewriting one line with `\r` and each redraw is news.
 * Bytes of one UTF-8 character may arrive in two chunks, and so may the two halves of a
 * `\r\n`; both are carried over to the next chunk.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The previous chunk ended with `\r`: a `\n` starting the next one closes no new line. */
  private skipLeadingLf = false;

  /** A child printing without any line break must not grow us without bound. */
  constructor(private readonly maxLineLength = 1 << 20) {}

  push(chunk: Buffer): string[] {
    return this.split(this.decoder.write(chunk));
  }

  /** The rest at end of stream: an incomplete character and a last line without a break. */
  end(): string[] {
    const lines = this.split(this.decoder.end());
    if (this.partial !== '') lines.push(this.partial);
    this.partial = '';
    return lines;
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    if (text === '') return lines;
    let start = 0;
    if (this.skipLeadingLf && text.charCodeAt(0) === 10) start = 1;
    this.skipLeadingLf = false;

    if (text.indexOf('\r', start) === -1) {
      // Most chunks hold no \r at all: indexOf walks them several times faster than the regex.
      for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
        lines.push(this.partial + text.slice(start, end));
        this.partial = '';
        start = end + 1;
      }
    } else {
      const breaks = /\r\n|\r|\n/g;
      breaks.lastIndex = start;
      for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
        lines.push(this.partial + text.slice(start, m.index));
        this.partial = '';
        start = m.index + m[0].length;
      }
    }
    if (start > 0 && text.charCodeAt(start - 1) === 13) this.skipLeadingLf = start === text.length;
    this.partial += text.slice(start);

    while (this.partial.length > this.maxLineLength) {
      lines.push(this.partial.slice(0, this.maxLineLength));
      this.partial = this.partial.slice(this.maxLineLength);
    }
    return lines;
  }
}
