/** Text encodings we read; Excel's "CSV" in Spanish locales is Windows-1252, its "Unicode text" UTF-16 LE. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1252';

/**
 * BOM first, then strict UTF-8, else Windows-1252 (chardet guesses Spanish 1252 text poorly).
 * Returns null for bytes that are not text at all (NULs outside UTF-16).
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
  try {
    // `stream: true` tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return 'windows1252';
  }
}
