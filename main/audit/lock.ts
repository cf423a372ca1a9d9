/**
 * Cross-process mutual exclusion for writers of one log. Several `cairn`
 * processes (CLI, server, desktop) may append to the same data folder; without
 * a lock two of them could read the same head and fork the chain.
 *
 * proper-lockfile makes an atomic `mkdir` of a sidecar `log.jsonl.lock`
 * directory and refreshes its mtime while held, so a lock left by a crashed
 * process goes stale and is taken over instead of blocking forever.
 */
import lockfile from 'proper-lockfile';
import { CairnError } from '../core/errors.js';

/** A held lock older than this with no refresh belongs to a dead process. */
const STALE_MS = 15_000;

/**
 * Retry for up to roughly a minute: appends hold the lock for milliseconds, so
 * waiting that long means something is really wrong, not merely busy.
 */
const RETRIES = { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 150, randomize: true };

/** Per-process queue so same-process callers wait on a promise, not by polling the disk. */
const queues = new Map<string, Promise<unknown>>();

export async function withLogLock<T>(logFile: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(logFile) ?? Promise.resolve();
  const run = previous.then(() => holdLock(logFile, fn), () => holdLock(logFile, fn));
  const settled = run.then(() => undefined, () => undefined);
  queues.set(logFile, settled);
  void settled.then(() => {
    if (queues.get(logFile) === settled) queues.delete(logFile);
  });
  return run;
}

async function holdLock<T>(logFile: string, fn: () => Promise<T>): Promise<T> {
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(logFile, {
      // The log may not exist yet; lock its path, not its resolved target.
      realpath: false,
      stale: STALE_MS,
      retries: RETRIES,
      // The default throws from a timer and kills the process; record it and
      // fail this append instead.
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (e) {
    throw new CairnError('TIMEOUT', `could not lock the audit log ${logFile} (another Cairn process holds it): ${e instanceof Error ? e.message : String(e)}. If no other Cairn process is running, remove ${logFile}.lock.`, { input: logFile, cause: e });
  }
  try {
    const result = await fn();
    if (compromised) throw new CairnError('INTERNAL', `the audit log lock was lost while writing (${compromised.message}); run \`cairn audit verify\``, { input: logFile, cause: compromised });
    return result;
  } finally {
    await release().catch(() => undefined); // a compromised lock may already be gone
  }
}
