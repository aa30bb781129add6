import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/**
 * Decodes UTF-8 a chunk at a time, and where a chunk is not valid UTF-8, line by line: each line that is not
 * UTF-8 is read as Windows-1252 (a list pasted together from two exports) and counted, so "María" stays "María"
 * on every line instead of turning into "MarÃ­a" or "Mar�a". Drops a leading BOM.
 */
export class Utf8Repair extends Transform {
  /** Lines read as Windows-1252. */
  repaired = 0;
  private carry: Buffer | null = null;
  private first = true;
  private readonly strict = new TextDecoder('utf-8', { fatal: true });

  constructor() {
    // Strings out, as decoded (a byte stream would turn them back into Buffers).
    super({ decodeStrings: true, readableObjectMode: true, readableHighWaterMark: 16 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    if (this.first) {
      this.first = false;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    }
    // Whole lines only: a line (and a character) is never cut between two chunks.
    const cut = data.lastIndexOf(0x0a) + 1;
    this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    if (cut === 0) return done();
    done(null, this.decode(data.subarray(0, cut)));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.carry ? this.decode(this.carry) : undefined);
  }

  private decode(bytes: Buffer): string {
    try {
      return this.strict.decode(bytes);
    } catch {
      let text = '';
      for (let start = 0; start < bytes.length; ) {
        const newline = bytes.indexOf(0x0a, start);
        const end = newline === -1 ? bytes.length : newline + 1;
        const line = bytes.subarray(start, end);
        try {
          text += this.strict.decode(line);
        } catch {
          text += iconv.decode(line, 'win1252');
          this.repaired += 1;
        }
        start = end;
      }
      return text;
    }
  }
}
