import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import type { MediaKind } from '../whatsapp';

/** WhatsApp's limits: 16 MB for media, 100 MB for documents; above 1 MB sending is noticeably slower. */
export const MEDIA_LIMIT = 16 * 1024 * 1024;
export const DOCUMENT_LIMIT = 100 * 1024 * 1024;
export const SLOW_ABOVE = 1024 * 1024;

export type Sniffed = { kind: MediaKind; mime: string; ext: string };
export type StoredMedia = { id: string; kind: MediaKind; mime: string; fileName: string; size: number };

const OOXML: Record<string, Sniffed> = {
  docx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  xlsx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  pptx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx' },
};
const OLE: Record<string, Sniffed> = {
  doc: { kind: 'document', mime: 'application/msword', ext: 'doc' },
  xls: { kind: 'document', mime: 'application/vnd.ms-excel', ext: 'xls' },
  ppt: { kind: 'document', mime: 'application/vnd.ms-powerpoint', ext: 'ppt' },
};

/** ISO-BMFF brands of HEIF/HEIC images (the `ftyp` box), as iPhones write them. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** What a file really is, from its first bytes; the name only tells Office formats apart inside a zip. */
export function sniffMedia(head: Buffer, fileName: string): Sniffed | null {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  const ext = path.extname(fileName).slice(1).toLowerCase();
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { kind: 'image', mime: 'image/webp', ext: 'webp' };
  if (ascii(0, 4) === 'OggS') return { kind: 'voice', mime: 'audio/ogg; codecs=opus', ext: 'ogg' };
  if (ascii(0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return { kind: 'audio', mime: 'audio/mpeg', ext: 'mp3' };
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { kind: 'audio', mime: 'audio/mp4', ext: 'm4a' };
    // iPhone photos: WhatsApp does not show HEIC as a photo, so it goes as a file (a JPG shows as a photo).
    if (HEIF_BRANDS.has(brand)) return { kind: 'document', mime: brand.startsWith('hev') ? 'image/heic-sequence' : 'image/heic', ext: 'heic' };
    if (brand === 'qt  ') return { kind: 'video', mime: 'video/quicktime', ext: 'mov' };
    if (brand.startsWith('3g')) return { kind: 'video', mime: 'video/3gpp', ext: '3gp' };
    return { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
  }
  if (ascii(0, 5) === '%PDF-') return { kind: 'document', mime: 'application/pdf', ext: 'pdf' };
  if (ascii(0, 4) === 'PK\x03\x04') return OOXML[ext] ?? { kind: 'document', mime: 'application/zip', ext: 'zip' };
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return OLE[ext] ?? null;
  if (isText(head)) return { kind: 'document', mime: ext === 'csv' ? 'text/csv' : 'text/plain', ext: ext === 'csv' ? 'csv' : 'txt' };
  return null; // programs (ELF, EXE) and anything we cannot name are never sent
}

function isText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    // Windows-1252 text: printable bytes and whitespace only.
    return [...head].every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
  }
}

/** Attachments copied into `<data>/media/` under their content hash, so one file is stored once. */
export class MediaStore {
  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly now: () => number,
  ) {}

  async add(source: string, fileName: string): Promise<StoredMedia> {
    const size = fs.statSync(source).size;
    const head = Buffer.alloc(Math.min(size, 4096));
    const fd = fs.openSync(source, 'r');
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const sniffed = sniffMedia(head, fileName);
    if (!sniffed) throw new AppError('media_unsupported', 'not an image, audio, video or document WhatsApp accepts');
    const limit = sniffed.kind === 'document' ? DOCUMENT_LIMIT : MEDIA_LIMIT;
    if (size > limit) throw new AppError('media_too_large', `${size} bytes is over ${limit}`, String(limit / 1024 / 1024));
    const digest = crypto.createHash('sha256');
    await pipeline(fs.createReadStream(source), digest);
    const id = digest.digest('hex');
    fs.mkdirSync(this.dir, { recursive: true });
    const target = path.join(this.dir, `${id}.${sniffed.ext}`);
    if (!fs.existsSync(target)) fs.copyFileSync(source, target);
    this.db
      .prepare('INSERT OR IGNORE INTO media (id, kind, mime, ext, file_name, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, sniffed.kind, sniffed.mime, sniffed.ext, fileName, size, this.now());
    return this.get(id);
  }

  /** A file received from WhatsApp: written aside in the data folder, then stored as any attachment. */
  async addBytes(data: Buffer, fileName: string): Promise<StoredMedia> {
    const dir = path.join(this.dir, 'incoming-tmp');
    fs.mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `${crypto.randomUUID()}.part`);
    fs.writeFileSync(temp, data);
    try {
      return await this.add(temp, fileName);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  get(id: string): StoredMedia {
    const row = this.db.prepare('SELECT id, kind, mime, file_name, size FROM media WHERE id = ?').get(id) as
      | { id: string; kind: MediaKind; mime: string; file_name: string; size: number }
      | undefined;
    if (!row) throw new AppError('not_found', `no media ${id}`, 'mediaId');
    return { id: row.id, kind: row.kind, mime: row.mime, fileName: row.file_name, size: row.size };
  }

  /** The file on disk, for sending and for the preview's thumbnail. */
  file(id: string): { path: string; mime: string; size: number } | undefined {
    if (!/^[a-f0-9]{64}$/.test(id)) return undefined;
    const row = this.db.prepare('SELECT mime, ext, size FROM media WHERE id = ?').get(id) as { mime: string; ext: string; size: number } | undefined;
    return row ? { path: path.join(this.dir, `${id}.${row.ext}`), mime: row.mime, size: row.size } : undefined;
  }
}
