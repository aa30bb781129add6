import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, killTree } from './process-tree';

/** One running process and the command line it was started with. */
type Proc = { pid: number; args: string };

/**
 * Every process whose command line names this profile as its `--user-data-dir`: the browser of a number and its
 * helpers. Linux reads /proc; macOS asks `ps`; Windows asks CIM through PowerShell.
 */
export function profileProcesses(profileDir: string, platform: NodeJS.Platform = process.platform): Proc[] {
  const flag = `--user-data-dir=${path.resolve(profileDir)}`;
  return listProcesses(platform).filter((p) => p.pid !== process.pid && (p.args.includes(`${flag} `) || p.args.endsWith(flag) || p.args.includes(`${flag}"`)));
}

/**
 * Ends the browsers a killed app left on this profile (kill -9 while a number connected leaves Chrome and its helpers
 * running, holding the profile). Safe: this process owns the data folder (core/data-lock), so a browser on one of
 * its profiles is nobody's but a dead predecessor's. The main browser's whole tree goes, helpers too. Returns the
 * pids ended.
 */
export function endProfileOrphans(profileDir: string, platform: NodeJS.Platform = process.platform): number[] {
  const found = profileProcesses(profileDir, platform);
  // The browser itself first (its group takes its helpers), then any helper still there.
  const ordered = [...found.filter((p) => !p.args.includes('--type=')), ...found.filter((p) => p.args.includes('--type='))];
  for (const p of ordered) if (isAlive(p.pid)) killTree(p.pid, platform);
  return found.map((p) => p.pid);
}

/**
 * The live process a profile's `SingletonLock` names, when it is a browser on this profile: Chrome writes the lock as
 * a symlink to `<hostname>-<pid>`. Undefined when the lock is stale (another host, a dead pid, a pid reused by
 * something else), or on systems without the symlink.
 */
export function liveLockHolder(profileDir: string, platform: NodeJS.Platform = process.platform): number | undefined {
  let target: string;
  try {
    target = fs.readlinkSync(path.join(profileDir, 'SingletonLock'));
  } catch {
    return undefined;
  }
  const match = /^(.*)-(\d+)$/.exec(target);
  if (!match || match[1] !== os.hostname()) return undefined;
  const pid = Number(match[2]);
  if (!isAlive(pid)) return undefined;
  return profileProcesses(profileDir, platform).some((p) => p.pid === pid) ? pid : undefined;
}

function listProcesses(platform: NodeJS.Platform): Proc[] {
  if (platform === 'linux' && fs.existsSync('/proc')) {
    const procs: Proc[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
        if (args) procs.push({ pid: Number(entry), args });
      } catch {
        // Gone meanwhile, or not ours to read.
      }
    }
    return procs;
  }
  try {
    if (platform === 'win32') {
      const out = execFileSync('powershell.exe', ['-NoProfile', '-Command', 'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.CommandLine)" }'], { encoding: 'utf8', windowsHide: true, timeout: 15_000 });
      return parseLines(out);
    }
    return parseLines(execFileSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8', timeout: 15_000 }));
  } catch {
    return []; // no way to look: nothing is ended, and a lock still held makes the launch say so
  }
}

function parseLines(out: string): Proc[] {
  return out.split(/\r?\n/).flatMap((line) => {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), args: match[2]!.trim() }] : [];
  });
}
