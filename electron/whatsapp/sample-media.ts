import zlib from 'node:zlib';
import type { IncomingMedia } from './driver';

/** What a demo contact may send besides text (numbers.simulateReply's `media`). */
export const SAMPLE_MEDIA_KINDS = ['image', 'audio', 'document'] as const;
export type SampleMediaKind = (typeof SAMPLE_MEDIA_KINDS)[number];

/** WhatsApp's message type for each: a voice note is `ptt`, as WhatsApp Web names it. */
export const SAMPLE_MEDIA_TYPE: Record<SampleMediaKind, string> = { image: 'image', audio: 'ptt', document: 'document' };

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 96×96 PNG of a warm gradient (what a demo contact's photo shows), drawn here so the repo carries no binary. */
function samplePng(): Buffer {
  const size = 96;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const at = y * (size * 3 + 1) + 1 + x * 3;
      raw[at] = 230 - y;
      raw[at + 1] = 120 + x;
      raw[at + 2] = 90 + ((x + y) >> 1);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 58 >> stream
BT /F1 18 Tf 24 72 Td (Pedido: 3 playeras talla M) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

/** The file a demo contact sends: a photo, a voice note (an Ogg page header: WhatsApp's voice notes are Ogg Opus), a PDF. */
export function sampleMedia(kind: SampleMediaKind): IncomingMedia {
  switch (kind) {
    case 'image':
      return { data: samplePng(), mimeType: 'image/png', fileName: null };
    case 'audio':
      return { data: Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(60)]), mimeType: 'audio/ogg; codecs=opus', fileName: null };
    case 'document':
      return { data: Buffer.from(PDF, 'latin1'), mimeType: 'application/pdf', fileName: 'pedido.pdf' };
  }
}
