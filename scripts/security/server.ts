/**
 * A real `cairn serve` in a child process: started on a free loopback port
 * with a known token, stopped with SIGTERM (SIGKILL if it does not stop).
 */
import { spawn } from 'node:child_process';
import { CAIRN_BIN } from './paths.js';

export interface RunningServer {
  url: string;
  pid: number;
  /** What the server wrote to stderr (its log of internal errors), last 64 KB. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, token: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [CAIRN_BIN, '--data', dataDir, 'serve', '--port', '0', '--token', token, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-65536)));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cairn serve did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      try {
        const j = JSON.parse(out) as { url?: string };
        if (j.url) {
          clearTimeout(timer);
          resolve(j.url);
        }
      } catch {
        // not a whole JSON document yet
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`cairn serve exited at start: ${err}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    stderr: () => err,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
