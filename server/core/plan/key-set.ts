/**
 * A set of strings (with a number kept per key) in typed arrays: about 12 bytes per key where a
 * Map<string, number> takes 60 to 100, so a million-row file's keys fit in a bounded heap. Keys are
 * stored as a 64-bit hash (two independent 32-bit FNV-1a variants); two different keys share one
 * with a probability of about n² / 2⁶⁵, some 3 in 100 million for a million keys.
 */
export class KeySet {
  private high: Uint32Array;
  private low: Uint32Array;
  /** Made at the first key with a value other than 0: a set of claims never needs it. */
  private values: Int32Array | null = null;
  private used: Uint8Array;
  private count = 0;

  constructor(capacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, (capacity * 4) / 3)));
    this.high = new Uint32Array(size);
    this.low = new Uint32Array(size);
    this.used = new Uint8Array(size);
  }

  get size(): number {
    return this.count;
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
    KeySet.hashLow = b >>> 0;
  }

  private slot(high: number, low: number): number {
    const mask = this.used.length - 1;
    let i = (high ^ Math.imul(low, 0x9e3779b1)) & mask;
    while (this.used[i] && (this.high[i] !== high || this.low[i] !== low)) i = (i + 1) & mask;
    return i;
  }

  /** The value kept for a key, if the key is in the set. */
  get(key: string): number | undefined {
    KeySet.hash(key);
    const i = this.slot(KeySet.hashHigh, KeySet.hashLow);
    return this.used[i] ? (this.values?.[i] ?? 0) : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds a key with its value; a key already present keeps its first value. */
  set(key: string, value = 0): void {
    // Three quarters full at most: probes stay short, and a million keys take 2^21 slots, not 2^22.
    if ((this.count + 1) * 4 > this.used.length * 3) this.grow();
    KeySet.hash(key);
    const high = KeySet.hashHigh;
    const low = KeySet.hashLow;
    const i = this.slot(high, low);
    if (this.used[i]) return;
    this.used[i] = 1;
    this.high[i] = high;
    this.low[i] = low;
    if (value !== 0) (this.values ??= new Int32Array(this.used.length))[i] = value;
    this.count++;
  }

  add(key: string): void {
    this.set(key);
  }

  private grow(): void {
    const { high, low, values, used } = this;
    this.high = new Uint32Array(used.length * 2);
    this.low = new Uint32Array(used.length * 2);
    this.values = values && new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++) {
      if (!used[i]) continue;
      const j = this.slot(high[i]!, low[i]!);
      this.used[j] = 1;
      this.high[j] = high[i]!;
      this.low[j] = low[i]!;
      if (values) this.values![j] = values[i]!;
    }
  }
}
