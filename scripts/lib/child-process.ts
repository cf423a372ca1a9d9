/**
 * What the benchmarks that measure each size in a process of its own share:
 * the process's peak resident memory, and running this script's own
 * `--child` mode in a child that answers once over IPC.
 */
import { fork } from 'node:child_process';

/** Peak resident set size of this process so far, MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Runs `script` (a TypeScript file, through tsx) with `args` in a child
 * process and resolves with the first message it sends; a non-zero exit
 * before that rejects, naming `what`.
 */
export function inChildProcess<T>(script: string, args: readonly string[], what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(script, [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => resolve(m as T));
    child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`${what} exited ${code}`))));
  });
}
