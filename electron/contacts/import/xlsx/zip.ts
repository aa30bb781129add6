import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * A zip bomb, refused before a byte is inflated: a large entry that expands more than any real workbook's XML (a
 * 0.7 MB file expanding to 700 MB took the preview to 1.1 GB). Real sheets deflate about 5–20×; yauzl checks that
 * each entry inflates to no more than it declares, so the declared sizes can be trusted.
 */
const BOMB_MIN_BYTES = 32 * 1024 * 1024;
const BOMB_RATIO = 200;
/** Parts read whole (the workbook, its relationships, styles) are kilobytes in any real file. */
const TEXT_LIMIT = 32 * 1024 * 1024;

function isBomb(entry: yauzl.Entry): boolean {
  return entry.uncompressedSize > BOMB_MIN_BYTES && entry.uncompressedSize / Math.max(1, entry.compressedSize) > BOMB_RATIO;
}

/**
 * A workbook's zip read in place: its central directory first, then any entry, in any order, inflated as a stream.
 * Nothing is unpacked to disk (a streaming unzip must park worksheets that come before the shared strings in temp
 * files — every phone of the list, left in the OS temp folder).
 */
export class ZipReader {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<ZipReader> {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: true });
    const entries = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName.replace(/^\/+/, ''), entry);
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
    const bomb = [...entries.values()].find(isBomb);
    if (bomb) {
      zip.close();
      throw new Error(`${bomb.fileName} would expand ${Math.round(bomb.uncompressedSize / Math.max(1, bomb.compressedSize))}× to ${bomb.uncompressedSize} bytes`);
    }
    return new ZipReader(zip, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  size(name: string): number {
    return this.entries.get(name)?.uncompressedSize ?? 0;
  }

  /** An entry's text as a stream of UTF-8 chunks (a character cut between two chunks is kept whole). */
  async stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`the workbook has no ${name}`);
    const stream = await this.zip.openReadStreamPromise(entry);
    stream.setEncoding('utf8');
    return stream;
  }

  /** A small entry's whole text ('' when the workbook has none, as for optional parts). */
  async text(name: string): Promise<string> {
    if (!this.has(name)) return '';
    if (this.size(name) > TEXT_LIMIT) throw new Error(`${name} is ${this.size(name)} bytes: not a workbook part`);
    let text = '';
    for await (const chunk of await this.stream(name)) text += chunk as string;
    return text;
  }

  close(): void {
    this.zip.close();
  }
}
