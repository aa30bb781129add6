import fs from 'node:fs';
import { zipBuffer } from '../../electron/core/zip-writer';

/**
 * A zip written by hand, entries in the order given (deflated), for workbooks shaped as other programs write them:
 * shared strings after the sheets, namespace prefixes, parts Excel itself never produces.
 */
export function writeZip(file: string, entries: [name: string, content: string | Buffer][]): void {
  fs.writeFileSync(file, zipBuffer(entries));
}
