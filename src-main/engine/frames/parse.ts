import { groupThousands } from './format';

export const MAX_FRAMES = 1_000_000;

/** Larger magnitudes are typos, not frames; the limit also keeps every step and count exact. */
export const FRAME_LIMIT = 1_000_000_000;

/** Spans up to this many frames are deduplicated with a bitset (4 MiB) rather than a Set. */
const BITSET_SPAN = 1 << 25;

/**
 * `column` is 1-based and counts UTF-16 code units, like a text field's selection does, and
 * `token` is the text found there: `text.slice(column - 1, column - 1 + token.length) === token`,
 * so a UI can underline it.
 */
export interface FrameSetError {
  message: string;
  column: number;
  token: string;
}

/** Text that parses but may not say what was meant (same shape as an error, to underline it). */
export type FrameSetWarning = FrameSetError;

export type ParseResult = { ok: true; frames: number[]; warnings: FrameSetWarning[] } | { ok: false; error: FrameSetError };

/**
 * How a range is walked, as OpenCue's cuebot and fileseq read the mark before the step:
 * `x` every step-th frame, `y` the frames an `x` pass skips, `:` interleave (every frame, the
 * `x step` pass first, then passes of half the step down to 1, each adding only frames not yet seen).
 */
type Walk = 'x' | 'y' | ':';

/** One typed item: `start` alone, or `start-end` walked by `step` (a magnitude: the ends give the direction). */
interface Item {
  start: number;
  end: number;
  step: number;
  walk: Walk;
  count: number;
}

class ParseFailure {
  constructor(readonly error: FrameSetError) {}
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
// Plain spaces first: the regular expression is the slow path for tabs, newlines and Unicode spaces.
const isSpace = (c: string | undefined): boolean => c === ' ' || (c !== undefined && c !== ',' && !isDigit(c) && /\s/.test(c));
// Word processors and macOS autocorrect turn "1-10" into "1–10"; the en dash only ever means a range.
const isRangeDash = (c: string | undefined): boolean => c === '-' || c === '\u2013';
const isStepMark = (c: string | undefined): boolean => c === 'x' || c === 'X' || c === 'y' || c === 'Y' || c === ':';
const isNumber = (text: string): boolean => /^-?\d+$/.test(text);
// Blender's and Flamenco's range mark.
const isDots = (text: string, at: number): boolean => text[at] === '.' && text[at + 1] === '.';

/**
 * Parses what an artist types: `1-100`, `1..100`, `1,5,10-20`, `1-100x5`, `10-1x-1`, `1-100y5`,
 * `1-100:10` (interleave), `100-1`, `-10--1`, items separated by commas or spaces. Frames keep the
 * order typed (an interleave its passes' order); a repeat is kept only where it first appears.
 * Never throws: every problem comes back as an error naming its column. Two numbers separated
 * by a space alone parse as two items, with a warning: `1 10` is more often a lost dash than meant.
 */
export function parseFrameSet(text: string): ParseResult {
  try {
    const parser = new Parser(text);
    const items = parser.items();
    return { ok: true, frames: expand(items), warnings: parser.warnings };
  } catch (failure) {
    if (failure instanceof ParseFailure) return { ok: false, error: failure.error };
    throw failure;
  }
}

class Parser {
  private pos = 0;
  private itemStart = 0;
  readonly warnings: FrameSetWarning[] = [];

  constructor(private readonly text: string) {}

  items(): Item[] {
    const { text } = this;
    this.skipSpaces();
    if (this.pos === text.length) {
      throw new ParseFailure({ message: 'frame set is empty', column: 1, token: '' });
    }
    const items: Item[] = [];
    let total = 0;
    let crossing: { at: number; token: string } | null = null;
    let previous: { text: string; end: number } | null = null;
    let separator: 'comma' | 'space' | false = false;
    for (;;) {
      this.itemStart = this.pos;
      const item = this.item();
      const itemText = text.slice(this.itemStart, this.pos);
      if (separator === 'space' && previous !== null && isNumber(previous.text) && isNumber(itemText)) {
        this.warnings.push({
          message: `a space separates ${previous.text} and ${itemText}: both are rendered, not the frames between; write ${previous.text},${itemText} or ${previous.text}-${itemText} to be clear`,
          column: previous.end + 1,
          token: text.slice(previous.end, this.itemStart),
        });
      }
      previous = { text: itemText, end: this.pos };
      if (item.count > MAX_FRAMES) {
        throw new ParseFailure({
          message: `${itemText} has ${groupThousands(item.count)} frames; Spool renders at most ${groupThousands(MAX_FRAMES)} per job`,
          column: this.itemStart + 1,
          token: itemText,
        });
      }
      total += item.count;
      if (total > MAX_FRAMES && crossing === null) crossing = { at: this.itemStart, token: itemText };
      items.push(item);
      separator = this.separator();
      if (!separator) break;
    }
    // Reported after the whole text is read so the count is the full one; repeats are counted
    // because deduplicating would mean expanding first.
    if (crossing !== null) {
      throw new ParseFailure({
        message: `this frame set lists ${groupThousands(total)} frames; Spool renders at most ${groupThousands(MAX_FRAMES)} per job`,
        column: crossing.at + 1,
        token: crossing.token,
      });
    }
    return items;
  }

  /** Consumes what lies between two items; false at the end of the text. */
  private separator(): 'comma' | 'space' | false {
    const { text } = this;
    const before = this.pos;
    this.skipSpaces();
    if (this.pos === text.length) return false;
    if (text[this.pos] === ',') {
      const comma = this.pos;
      this.pos++;
      this.skipSpaces();
      if (this.pos === text.length) this.fail(comma, 'expected a frame number after ","', ',');
      if (text[this.pos] === ',') this.fail(this.pos, 'expected a frame number between the commas', ',');
      return 'comma';
    }
    if (this.pos === before) this.fail(this.pos, `unexpected "${text[this.pos]}"`);
    return 'space';
  }

  private item(): Item {
    const { text } = this;
    if (text[this.pos] === ',') this.fail(this.pos, 'expected a frame number before ","', ',');
    const start = this.frame(null);
    const afterStart = this.pos;
    this.skipSpaces();
    if (isStepMark(text[this.pos])) this.fail(this.pos, 'a step needs a range, e.g. 1-100x5');
    // `1 -5` reads as two frames like `1 5` does; `1 - 5` and `1-5` are ranges.
    const signed = this.pos > afterStart && text[this.pos] === '-' && isDigit(text[this.pos + 1]);
    const dots = isDots(text, this.pos);
    if (!(dots || isRangeDash(text[this.pos])) || signed) {
      this.pos = afterStart;
      return { start, end: start, step: 1, walk: 'x', count: 1 };
    }
    const mark = text.slice(this.pos, this.pos + (dots ? 2 : 1));
    const markAt = this.pos;
    this.pos += mark.length;
    this.skipSpaces();
    const end = this.frame({ at: markAt, mark });
    const afterEnd = this.pos;
    this.skipSpaces();
    const span = Math.abs(end - start);
    if (!isStepMark(text[this.pos])) {
      this.pos = afterEnd;
      return { start, end, step: 1, walk: 'x', count: span + 1 };
    }
    const walkAt = this.pos++;
    const walk = text[walkAt]!.toLowerCase() as Walk;
    this.skipSpaces();
    const step = this.step(walkAt, start, end);
    const stepped = Math.floor(span / step) + 1;
    const count = walk === 'x' ? stepped : walk === 'y' ? span + 1 - stepped : span + 1;
    if (count === 0) this.fail(walkAt, `y${step} skips every frame of this range, leaving none (y renders the frames x${step} skips)`, text.slice(walkAt, this.pos));
    return { start, end, step, walk, count };
  }

  /** A signed frame number at `pos`; `after` is the range mark it follows, for "nothing after" errors. */
  private frame(after: { at: number; mark: string } | null): number {
    const { text } = this;
    const at = this.pos;
    if (after !== null && (at === text.length || text[at] === ',')) {
      this.fail(after.at, `expected a frame number after "${after.mark}"`, after.mark);
    }
    let i = text[at] === '-' ? at + 1 : at;
    const digits = i;
    while (isDigit(text[i])) i++;
    if (i === digits) {
      // A lone minus sign: point at it, there is nothing after it to blame.
      if (i > at && (i === text.length || isSpace(text[i]) || text[i] === ',')) {
        this.fail(at, 'expected a frame number after "-"', '-');
      }
      this.fail(i, 'expected a frame number');
    }
    if (!isDots(text, i)) this.rejectFraction(at, i, 'frames are whole numbers');
    const value = Number(text.slice(at, i));
    if (Math.abs(value) > FRAME_LIMIT) {
      this.fail(at, `frame numbers must be between -${groupThousands(FRAME_LIMIT)} and ${groupThousands(FRAME_LIMIT)}`, text.slice(at, i));
    }
    this.pos = i;
    return value + 0; // "-0" is frame 0, not negative zero
  }

  /**
   * A step's magnitude; `mark` is the `x`, `y` or `:` it follows. A negative step must agree with
   * the range's direction (`10-1x-1`), as OpenCue requires: `1-10x-1` is refused, not guessed at.
   */
  private step(mark: number, start: number, end: number): number {
    const { text } = this;
    const at = this.pos;
    if (at === text.length || text[at] === ',') {
      this.fail(mark, `expected a step after "${text[mark]}"`, text[mark]);
    }
    let i = text[at] === '-' && isDigit(text[at + 1]) ? at + 1 : at;
    const digits = i;
    while (isDigit(text[i])) i++;
    if (i === digits) this.fail(at, 'expected a step number');
    this.rejectFraction(at, i, 'steps are whole numbers');
    const token = text.slice(at, i);
    const value = Number(token);
    if (value === 0) this.fail(at, 'step must be at least 1', token);
    if (value < 0 && end > start) {
      this.fail(at, `a negative step needs a range that counts down, e.g. ${end}-${start}${text[mark]}${token} (or ${start}-${end}${text[mark]}${-value})`, token);
    }
    this.pos = i;
    // A step past any possible span lands only on the start; capping keeps the arithmetic finite.
    return Math.min(Math.abs(value), 2 * FRAME_LIMIT + 1);
  }

  /** `text[at, end)` is a whole number; refuses `1.5`. */
  private rejectFraction(at: number, end: number, reason: string): void {
    const { text } = this;
    if (text[end] !== '.') return;
    let j = end + 1;
    while (isDigit(text[j])) j++;
    this.fail(at, reason, text.slice(at, j));
  }

  private skipSpaces(): void {
    while (isSpace(this.text[this.pos])) this.pos++;
  }

  /** Quotes the item up to and including the bad token, so the message reads on its own. */
  private fail(at: number, reason: string, token = this.wordAt(at)): never {
    const context = this.text.slice(Math.min(this.itemStart, at), at + token.length);
    throw new ParseFailure({ message: `"${context}": ${reason} at column ${at + 1}`, column: at + 1, token });
  }

  private wordAt(at: number): string {
    const { text } = this;
    let end = at;
    while (end < text.length && !isSpace(text[end]) && text[end] !== ',') end++;
    // A comma (or space) is a token too: never underline nothing when there is a character.
    return text.slice(at, Math.max(end, Math.min(at + 1, text.length)));
  }
}

function expand(items: readonly Item[]): number[] {
  let total = 0;
  for (const item of items) total += item.count;
  // Filled by index: a million pushes through a callback cost tens of milliseconds.
  const frames = new Array<number>(total);
  let length = 0;
  const overlapping = overlaps(items);
  let min = Infinity;
  let max = -Infinity;
  overlapping.forEach((overlaps, i) => {
    if (!overlaps) return;
    const { start, end } = items[i]!;
    min = Math.min(min, start, end);
    max = Math.max(max, start, end);
  });
  // Only items whose spans meet can repeat a frame, so only their frames are checked.
  const seen = max >= min && max - min < BITSET_SPAN ? bitset(min, max) : hashset();
  items.forEach((item, index) => {
    length = writeItem(item, frames, length, overlapping[index] ? seen : null);
  });
  frames.length = length;
  return frames;
}

/** Writes `item`'s frames from `frames[length]` on, those `seen` has not had if given; returns the new length. */
function writeItem({ start, end, step, walk, count }: Item, frames: number[], length: number, seen: ((frame: number) => boolean) | null): number {
  const direction = end >= start ? 1 : -1;
  if (walk === 'x') {
    const delta = direction * step;
    for (let i = 0; i < count; i++) {
      const frame = start + i * delta;
      if (seen === null || seen(frame)) frames[length++] = frame;
    }
    return length;
  }
  const span = Math.abs(end - start);
  if (walk === 'y') {
    for (let offset = 1; offset <= span; offset++) {
      const frame = start + offset * direction;
      if (offset % step !== 0 && (seen === null || seen(frame))) frames[length++] = frame;
    }
    return length;
  }
  // Interleave, in cuebot's order: passes of step, step/2 (truncated) … 1 from the start, each
  // adding the frames no earlier pass gave. Offsets are marked, so each pass only reads its own.
  const given = new Uint8Array(span + 1);
  for (let pass = step; pass >= 1; pass = Math.floor(pass / 2)) {
    for (let offset = 0; offset <= span; offset += pass) {
      if (given[offset] === 1) continue;
      given[offset] = 1;
      const frame = start + offset * direction;
      if (seen === null || seen(frame)) frames[length++] = frame;
    }
  }
  return length;
}

/** Marks the items whose span meets another item's span (chains of meeting spans, to be simple). */
function overlaps(items: readonly Item[]): boolean[] {
  const spans = items.map(({ start, end }, index) => ({ low: Math.min(start, end), high: Math.max(start, end), index }));
  spans.sort((a, b) => a.low - b.low);
  const marked = new Array<boolean>(items.length).fill(false);
  let clusterStart = 0;
  let high = -Infinity;
  for (let i = 0; i <= spans.length; i++) {
    const span = spans[i];
    if (span !== undefined && span.low <= high) {
      high = Math.max(high, span.high);
      continue;
    }
    if (i - clusterStart > 1) for (let k = clusterStart; k < i; k++) marked[spans[k]!.index] = true;
    clusterStart = i;
    high = span?.high ?? high;
  }
  return marked;
}

/** Returns true the first time it sees a frame in [min, max]. */
function bitset(min: number, max: number): (frame: number) => boolean {
  const words = new Uint32Array(Math.floor((max - min) / 32) + 1);
  return (frame) => {
    const offset = frame - min;
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if ((words[word]! & bit) !== 0) return false;
    words[word]! |= bit;
    return true;
  };
}

function hashset(): (frame: number) => boolean {
  const seen = new Set<number>();
  return (frame) => {
    if (seen.has(frame)) return false;
    seen.add(frame);
    return true;
  };
}
