/** A cap on the items' total size as well as their count (a log of 1 MB lines fills memory long before 100,000 lines). */
export interface WeightCap<T> {
  maxWeight: number;
  weigh(item: T): number;
}

/**
 * A fixed-capacity log of the newest items. Mutable on purpose: copying a 100,000-line array on
 * every batch would be the freeze the log view must avoid. Indices are absolute (they keep
 * counting after old items fall off), so a search result or scroll anchor stays valid. With a
 * weight cap, the oldest items also fall off while the total weight is over it (the newest item
 * always stays).
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** Items ever pushed: the absolute index of the next one. */
  private total = 0;
  private weight = 0;

  constructor(
    readonly capacity: number,
    private readonly cap?: WeightCap<T>,
  ) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
    this.items = new Array<T | undefined>(capacity);
  }

  /** The held items' total weight (0 without a weight cap). */
  get totalWeight(): number {
    return this.weight;
  }

  get length(): number {
    return this.count;
  }

  /** Absolute index of the oldest item still held. */
  get first(): number {
    return this.total - this.count;
  }

  /** How many items were pushed out by newer ones. */
  get dropped(): number {
    return this.total - this.count;
  }

  push(item: T): void {
    if (this.count === this.capacity) this.dropOldest();
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    this.total++;
    if (!this.cap) return;
    this.weight += this.cap.weigh(item);
    while (this.weight > this.cap.maxWeight && this.count > 1) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.items[this.head] as T;
    if (this.cap) this.weight -= this.cap.weigh(oldest);
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }

  pushAll(items: Iterable<T>): void {
    for (const item of items) this.push(item);
  }

  /** The i-th held item, 0 = oldest held. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.head + i) % this.capacity];
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.total = 0;
    this.weight = 0;
  }

  toArray(): T[] {
    const out: T[] = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) % this.capacity] as T;
    return out;
  }
}
