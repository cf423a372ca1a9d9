import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (…/main). */
export const REPO_ROOT = path.resolve(here, '..', '..');
/** `cairn` as users run it. */
export const CAIRN_BIN = path.join(REPO_ROOT, 'bin', 'cairn.mjs');
/** The egress-counting preload (plain .mjs: it loads before tsx). */
export const EGRESS_PRELOAD = path.join(here, 'egress-preload.mjs');
/** A script other parts run in child processes. */
export const scriptPath = (name: string): string => path.join(here, name);

/** ../shared beside the repository, or null with the reason when it is absent. */
export function sharedDir(): string | null {
  const dir = path.resolve(REPO_ROOT, '..', 'shared');
  return existsSync(path.join(dir, 'eval')) ? dir : null;
}

/**
 * Environment for a measured Node child: the egress counter preloaded into
 * every Node process and worker it starts, attempts appended to `egressLog`,
 * and (optionally) the main thread's V8 heap capped.
 */
export function measuredEnv(egressLog: string, opts: { heapMb?: number; extra?: NodeJS.ProcessEnv } = {}): NodeJS.ProcessEnv {
  const nodeOptions = [`--import=${pathToFileURL(EGRESS_PRELOAD).href}`];
  if (opts.heapMb) nodeOptions.push(`--max-old-space-size=${opts.heapMb}`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.extra, NODE_OPTIONS: nodeOptions.join(' '), CAIRN_EGRESS_LOG: egressLog };
  // Runs under vitest must not inherit its worker plumbing.
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TINYPOOL_WORKER_ID') delete env[k];
  return env;
}
