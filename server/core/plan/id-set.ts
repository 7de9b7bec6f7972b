/**
 * A set of integer ids (user ids, and `-row` of accounts not yet written) in typed arrays: about
 * 18 bytes per id where a Set<number> takes over 40, so the people a million-row file places in its
 * groups fit in a bounded heap. Open addressing; deleted slots are marked and reused on growth.
 */
export class IdSet implements Iterable<number> {
  private keys: Float64Array;
  /** 0 empty, 1 holds a key, 2 held one that was deleted. */
  private states: Uint8Array;
  private count = 0;
  private occupied = 0;

  constructor(capacity = 16) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Float64Array(size);
    this.states = new Uint8Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** The slot holding `id`, or the empty slot where it would go (-1 never: the table is never full). */
  private slot(id: number): number {
    const mask = this.states.length - 1;
    let i = Math.imul(id | 0, 0x9e3779b1) & mask;
    let free = -1;
    while (this.states[i] !== 0) {
      if (this.states[i] === 1 && this.keys[i] === id) return i;
      if (this.states[i] === 2 && free === -1) free = i;
      i = (i + 1) & mask;
    }
    return free === -1 ? i : free;
  }

  has(id: number): boolean {
    const i = this.slot(id);
    return this.states[i] === 1 && this.keys[i] === id;
  }

  add(id: number): this {
    if ((this.occupied + 1) * 2 > this.states.length) this.rehash(this.count * 2 + 2 > this.states.length / 2 ? this.states.length * 2 : this.states.length);
    const i = this.slot(id);
    if (this.states[i] === 1 && this.keys[i] === id) return this;
    if (this.states[i] === 0) this.occupied++;
    this.keys[i] = id;
    this.states[i] = 1;
    this.count++;
    return this;
  }

  delete(id: number): boolean {
    const i = this.slot(id);
    if (this.states[i] !== 1 || this.keys[i] !== id) return false;
    this.states[i] = 2;
    this.count--;
    return true;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.states.length; i++) if (this.states[i] === 1) yield this.keys[i]!;
  }

  private rehash(size: number): void {
    const { keys, states } = this;
    this.keys = new Float64Array(size);
    this.states = new Uint8Array(size);
    this.count = 0;
    this.occupied = 0;
    for (let i = 0; i < states.length; i++) if (states[i] === 1) this.add(keys[i]!);
  }
}
