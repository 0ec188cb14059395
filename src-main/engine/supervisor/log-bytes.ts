/** A line longer than this goes to the log in pieces rather than waiting for its end in memory. */
const MAX_HELD_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;

/**
 * What of one output stream is ready for the log file: the child's own bytes up to its last line
 * break (`\n` or `\r`), the rest held until its line ends. Lines stay whole when stdout and stderr
 * interleave, and nothing is decoded and encoded again on the way: a 500,000-line flood spent
 * ~60 ms rebuilding and encoding the text it had just decoded. The file keeps `\r` and `\r\n`
 * as written; readers break lines with `normalizeLineBreaks`, as the live view does.
 */
export class LogBytes {
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** The bytes to append now, or null. */
  take(chunk: Buffer): Buffer | null {
    const cut = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
    if (cut === -1) {
      this.hold(chunk);
      return this.heldBytes > MAX_HELD_BYTES ? this.release(null) : null;
    }
    const ready = this.release(chunk.subarray(0, cut + 1));
    if (cut + 1 < chunk.length) this.hold(chunk.subarray(cut + 1));
    return ready;
  }

  /** At end of stream: a last line without a break gets one, as the live view shows it. */
  end(): Buffer | null {
    if (this.heldBytes === 0) return null;
    return this.release(Buffer.from('\n'));
  }

  private hold(bytes: Buffer): void {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  private release(tail: Buffer | null): Buffer | null {
    const parts = tail ? [...this.held, tail] : this.held;
    this.held = [];
    this.heldBytes = 0;
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/** A log's text with every `\r\n` and lone `\r` as `\n`: the lines the live view showed. */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
