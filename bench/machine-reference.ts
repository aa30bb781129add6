import { spawn } from 'node:child_process';
import { report } from './report';

/**
 * A fixed piece of work like an import's reading (strings split, numbers parsed, small objects made and dropped),
 * timed alone and as two processes at once. This machine's speed changes from day to day, and more for work on both
 * cores than on one (the import is three threads, its sqlite3 floor one): these two figures say what kind of day a
 * run had, so runs of different days can be compared.
 */
const WORK = `
const started = performance.now();
let kept = 0;
for (let round = 0; round < 16; round++) {
  const rows = [];
  for (let i = 0; i < 25000; i++) rows.push('Cliente ' + i + ' Núñez,+52 1 55' + (10000000 + ((i * 7919) % 89999999)) + ',CDMX,' + (i % 1000));
  for (const line of rows) {
    const cells = line.split(',');
    const phone = cells[1].replace(/[^0-9]/g, '');
    kept += JSON.stringify({ name: cells[0], phone, points: Number(cells[3]) }).length;
  }
}
process.stdout.write(String(performance.now() - started) + ' ' + kept);
`;

function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORK], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.split(' ')[0])) : reject(new Error(`reference work exited ${code}`))));
  });
}

export async function machineReference(): Promise<void> {
  const alone = await once();
  const both = await Promise.all([once(), once()]);
  report('machine: reference work, one process', alone, 'ms');
  report('machine: reference work, two at once (slowest)', Math.max(...both), 'ms');
}
