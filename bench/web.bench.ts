import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { REPO_ROOT } from '../tests/helpers/paths';
import { median, report } from './report';

type Start = { firstAnswerMs: number; idleRssMb: number; processes: number };

/** The resident memory of a process and its descendants, in MB (from /proc), and how many there are. */
function treeRss(pid: number): { mb: number; processes: number } {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let kb = 0;
  let processes = 0;
  const walk = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      processes += 1;
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return { mb: kb / 1024, processes };
}

/** Starts web mode with `command`, times it to its first answer over HTTP, and measures it idle 3 s later. */
async function start(command: string[]): Promise<Start> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-web-'));
  const started = performance.now();
  const child = spawn(command[0]!, [...command.slice(1), '--no-open', '--port', '0', '--data-dir', dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`web mode exited with ${code}: ${output}`)));
    });
    const response = await fetch(url);
    await response.text();
    const firstAnswerMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { mb, processes } = treeRss(child.pid!);
    return { firstAnswerMs, idleRssMb: mb, processes };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The JavaScript the first screen loads (the entry and what it preloads), plain and as the server sends it (brotli). */
function homeJavaScript(): { kb: number; compressedKb: number } {
  const dir = path.join(REPO_ROOT, 'dist', 'renderer');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => path.join(dir, m[1]!));
  let raw = 0;
  let compressed = 0;
  for (const file of files) {
    const body = fs.readFileSync(file);
    raw += body.length;
    compressed += zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  }
  return { kb: raw / 1024, compressedKb: compressed / 1024 };
}


/**
 * `npm run web` from its bundle (#34) beside the same app compiled by tsx at each start (how it ran before): cold
 * start to the first answer, resident memory idle, and processes — medians of three starts each.
 */
export async function benchWeb(): Promise<void> {
  const { ensureWebBuild } = (await import(path.join(REPO_ROOT, 'scripts', 'build-electron.mjs'))) as { ensureWebBuild: () => Promise<string> };
  const entry = await ensureWebBuild();
  const runs = async (command: string[]) => {
    const all: Start[] = [];
    for (let i = 0; i < 3; i++) all.push(await start(command));
    return { firstAnswerMs: median(all.map((s) => s.firstAnswerMs)), idleRssMb: median(all.map((s) => s.idleRssMb)), processes: median(all.map((s) => s.processes)) };
  };
  const bundled = await runs([process.execPath, entry]);
  const source = await runs([process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'electron', 'web.ts')]);
  report('web: cold start to the first answer (bundle)', bundled.firstAnswerMs, 'ms', `≤ 400 ms; from source with tsx ${Math.round(source.firstAnswerMs)} ms`);
  report('web: idle resident memory (bundle)', bundled.idleRssMb, 'MB', `≤ 120 MB; from source ${Math.round(source.idleRssMb)} MB`);
  report('web: processes (bundle)', bundled.processes, 'process(es)', `1; from source ${source.processes}`);
  const home = homeJavaScript();
  report('web: JavaScript the home page loads', home.kb, 'KB', `≤ 350 KB; sent compressed: ${Math.round(home.compressedKb)} KB`);
}
