// Draws build/icon.png (512×512): a green rounded square with a white chat bubble. Run once; the PNG is committed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const size = 512;
const px = Buffer.alloc(size * size * 4);
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    let color = null;
    if (inRoundRect(x, y, 16, 16, 496, 496, 110)) color = [15, 94, 82, 255];
    const inBubble = inRoundRect(x, y, 110, 120, 402, 350, 70);
    const inTail = y >= 330 && y <= 410 && x >= 150 && x <= 230 && x - 150 <= (410 - y) * 1.0;
    if (inBubble || inTail) color = [255, 255, 255, 255];
    const dot = [190, 256, 322].some((cx) => (x - cx) ** 2 + (y - 235) ** 2 <= 24 * 24);
    if (dot) color = [31, 168, 85, 255];
    if (color) color.forEach((v, k) => (px[i + k] = v));
  }
}
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8;
header[9] = 6;
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.resolve(import.meta.dirname, '..', 'build', 'icon.png'), png);
