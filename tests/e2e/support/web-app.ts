import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../helpers/paths';
import { WEB_ENTRY } from '../../helpers/web-bundle';

export type WebApp = { url: string; origin: string; port: number; process: ChildProcess; output(): string; stop(): Promise<void> };

/**
 * Starts `npm run web`'s entry point (its bundle, as it ships) as a real child process on a temp data folder and
 * waits for its URL.
 * `--kept-port` in `extraArgs`: no `--port`, as a user starts it (the port kept in the data folder).
 */
export async function startWebApp(dataDir: string, extraArgs: string[] = []): Promise<WebApp> {
  const child = spawn(
    process.execPath,
    // Any free port unless the test asks for one (the app's own default is the port it kept from the last run).
    [WEB_ENTRY, '--no-open', ...(extraArgs.includes('--port') || extraArgs.includes('--kept-port') ? [] : ['--port', '0']), '--data-dir', dataDir, ...extraArgs.filter((a) => a !== '--kept-port')],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web app did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web app exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
