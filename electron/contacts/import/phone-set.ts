/**
 * The first row of each phone seen in a file, for a million phones in ~24 MB: an open-addressing table over the
 * phone's digits as a number (E.164 has at most 15 digits, exact in a double) instead of a Map of strings, which
 * costs several times that and keeps the garbage collector busy.
 */
export class PhoneFirstRows {
  private keys: Float64Array;
  private rows: Int32Array;
  private size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  /** The row this phone was first seen on, or undefined (and `row` is remembered as its first). */
  firstOrAdd(e164: string, row: number): number | undefined {
    // The digits after the "+" as a number, read in place (no slice to allocate, a million times).
    let key = 0;
    for (let i = 1; i < e164.length; i++) key = key * 10 + (e164.charCodeAt(i) - 48);
    return this.keyFirstOrAdd(key, row);
  }

  private keyFirstOrAdd(key: number, row: number): number | undefined {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    // Multiplicative hashing of the low and high halves; 0 marks an empty slot (no phone is the number 0).
    let slot = (Math.imul(key % 0x40000000 | 0, 0x9e3779b1) ^ Math.imul((key / 0x40000000) | 0, 0x85ebca6b)) & mask;
    for (;;) {
      const found = this.keys[slot];
      if (found === 0) {
        this.keys[slot] = key;
        this.rows[slot] = row;
        this.size += 1;
        return undefined;
      }
      if (found === key) return this.rows[slot];
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? 0;
      if (key !== 0) this.keyFirstOrAdd(key, rows[i] ?? 0);
    }
  }
}
