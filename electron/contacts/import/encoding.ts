/** Text encodings we read; Excel's "CSV" in Spanish locales is Windows-1252, its "Unicode text" UTF-16 LE. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1252';

/** Above this share of control bytes (not tab, CR, LF) a file is not text, whatever else it looks like. */
const MAX_CONTROL_SHARE = 0.01;
/** Spanish text in Windows-1252 has a few accented bytes in a hundred; a binary file has one byte in two. */
const MAX_HIGH_SHARE = 0.3;

/**
 * BOM first, then UTF-8 (which the reader repairs line by line where some lines are Windows-1252: lists pasted
 * together), else Windows-1252 (chardet guesses Spanish 1252 text poorly). Null for bytes that are not text at all:
 * NULs outside UTF-16, control bytes, or mostly high bytes that are not UTF-8.
 */
export function detectEncoding(sample: Buffer): TextEncoding | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  const nulAt = (parity: number) => {
    let n = 0;
    for (let i = parity; i < Math.min(sample.length, 4096); i += 2) if (sample[i] === 0) n++;
    return n;
  };
  const pairs = Math.min(sample.length, 4096) / 2;
  // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
  if (pairs > 4 && nulAt(1) > pairs * 0.6 && nulAt(0) === 0) return 'utf16le';
  if (pairs > 4 && nulAt(0) > pairs * 0.6 && nulAt(1) === 0) return 'utf16be';
  if (sample.subarray(0, 4096).includes(0)) return null;
  const { controls, high, valid, invalid } = byteCounts(sample);
  if (controls > sample.length * MAX_CONTROL_SHARE) return null;
  if (invalid === 0) return 'utf8';
  if (high > sample.length * MAX_HIGH_SHARE) return null;
  // Some UTF-8 characters among the broken ones: a UTF-8 file with a few 1252 lines, repaired as it is read.
  return valid > 0 ? 'utf8' : 'windows1252';
}

/** Control bytes, high bytes, and well-formed / broken UTF-8 sequences in a sample (a sequence cut at its end is not broken). */
function byteCounts(bytes: Buffer): { controls: number; high: number; valid: number; invalid: number } {
  let controls = 0;
  let high = 0;
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) controls++;
      continue;
    }
    high++;
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) {
      invalid++;
      continue;
    }
    if (i + length > bytes.length) break;
    let ok = true;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) ok = false;
    if (ok) {
      valid++;
      high += length - 1;
      i += length - 1;
    } else {
      invalid++;
    }
  }
  return { controls, high, valid, invalid };
}
