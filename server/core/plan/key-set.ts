/**
 * A set of strings (with a number kept per key) in typed arrays: 10 to 15 bytes per key where a
 * Map<string, number> takes 60 to 100, so a million-row file's keys fit in a bounded heap. Keys are
 * stored as a 64-bit hash (two independent 32-bit FNV-1a variants); two different keys share one
 * with a probability of about n² / 2⁶⁵, some 3 in 100 million for a million keys.
 *
 * A preview of a million rows holds three of these to the end (usernames, e-mails and the match keys
 * the file claims), so their size is most of its memory: the two halves of a hash sit side by side (one
 * cache line a probe), the all-zero hash marks an empty slot (no separate array), and the table is
 * four fifths full before it grows by half, not three quarters before it doubles.
 */
export class KeySet {
  /** Slot i holds its hash at [2i] (high half) and [2i + 1] (low half); 0, 0 is empty. */
  private slots: Uint32Array;
  /** Made at the first key with a value other than 0: a set of claims never needs it. */
  private values: Int32Array | null = null;
  private capacity: number;
  private count = 0;

  /** Room for `expected` keys is made at the first key: a set made and never used costs nothing. */
  constructor(expected = 768) {
    this.capacity = Math.max(16, Math.ceil(expected / maxLoad));
    this.slots = noSlots;
  }

  get size(): number {
    return this.count;
  }

  /** The memory its tables take. */
  get bytes(): number {
    return this.slots.byteLength + (this.values?.byteLength ?? 0);
  }

  /** The last key's hash, left here by hash(): no pair array is made per lookup (millions of them a run). */
  private static hashHigh = 0;
  private static hashLow = 0;

  private static hash(key: string): void {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    KeySet.hashHigh = a >>> 0;
    // The all-zero hash means an empty slot; the one key in 2⁶⁴ that makes it shares 0, 1 instead.
    KeySet.hashLow = a === 0 && b === 0 ? 1 : b >>> 0;
  }

  /** The slot that holds this hash, or the empty slot where it would go (linear probing). */
  private slot(high: number, low: number): number {
    const { slots, capacity } = this;
    // Multiply-shift onto [0, capacity): the capacity need not be a power of two.
    let i = Math.floor((((high ^ Math.imul(low, 0x9e3779b1)) >>> 0) * capacity) / 4294967296);
    for (;;) {
      const h = slots[2 * i]!;
      const l = slots[2 * i + 1]!;
      if ((h === high && l === low) || (h === 0 && l === 0)) return i;
      i = i + 1 === capacity ? 0 : i + 1;
    }
  }

  private occupied(i: number): boolean {
    return this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0;
  }

  /** The value kept for a key, if the key is in the set. */
  get(key: string): number | undefined {
    if (this.count === 0) return undefined;
    KeySet.hash(key);
    const i = this.slot(KeySet.hashHigh, KeySet.hashLow);
    return this.occupied(i) ? (this.values?.[i] ?? 0) : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds a key with its value; a key already present keeps its first value. */
  set(key: string, value = 0): void {
    this.store(key, value, false);
  }

  /** Adds a key with its value, or gives a key already present this value. */
  put(key: string, value: number): void {
    this.store(key, value, true);
  }

  private store(key: string, value: number, overwrite: boolean): void {
    if (this.slots === noSlots) this.slots = new Uint32Array(this.capacity * 2);
    else if (this.count + 1 > this.capacity * maxLoad) this.grow();
    KeySet.hash(key);
    const i = this.slot(KeySet.hashHigh, KeySet.hashLow);
    if (this.occupied(i)) {
      if (overwrite && (value !== 0 || this.values)) (this.values ??= new Int32Array(this.capacity))[i] = value;
      return;
    }
    this.slots[2 * i] = KeySet.hashHigh;
    this.slots[2 * i + 1] = KeySet.hashLow;
    if (value !== 0) (this.values ??= new Int32Array(this.capacity))[i] = value;
    this.count++;
  }

  add(key: string): void {
    this.set(key);
  }

  private grow(): void {
    const { slots, values, capacity } = this;
    this.capacity = Math.ceil(capacity * growth);
    this.slots = new Uint32Array(this.capacity * 2);
    this.values = values && new Int32Array(this.capacity);
    for (let i = 0; i < capacity; i++) {
      const high = slots[2 * i]!;
      const low = slots[2 * i + 1]!;
      if (high === 0 && low === 0) continue;
      const j = this.slot(high, low);
      this.slots[2 * j] = high;
      this.slots[2 * j + 1] = low;
      if (values) this.values![j] = values[i]!;
    }
  }
}

const noSlots = new Uint32Array(0);
/** Four fifths full at most: linear probes stay a few slots long, in one or two cache lines. */
const maxLoad = 0.8;
/** Grown by half: the old and the new table live together for a moment, and the new one is mostly used. */
const growth = 1.5;
