import { execFileSync } from 'node:child_process';

/** Command lines of running processes that mention `needle` (e.g. a session folder), to catch orphan browsers. */
export function processesMentioning(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}
