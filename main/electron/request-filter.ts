import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost } from '../api/loopback.js';

/**
 * Which URLs the renderer may load (session.webRequest.onBeforeRequest): the
 * app's own files, DevTools in development, the loopback dev server in
 * development; data:/blob: for images only. Everything else is cancelled:
 * remote hosts, websockets to them, data: scripts, other local files.
 */

export interface RequestPolicy {
  /** Absolute folder of the renderer build (renderer/dist). */
  rendererDir: string;
  /** Not packaged: DevTools (and a dev server, if given) allowed. */
  dev: boolean;
  /** Loopback dev server origin, e.g. http://127.0.0.1:5173 (development only). */
  devServerOrigin?: string;
}

export type Verdict = { allow: true } | { allow: false; reason: string };

const ALLOW: Verdict = { allow: true };
const block = (reason: string): Verdict => ({ allow: false, reason });

/** Checks a policy once: a dev server must be loopback http and only in development. */
export function makeRequestPolicy(p: RequestPolicy): RequestPolicy {
  if (!path.isAbsolute(p.rendererDir)) throw new Error(`rendererDir must be absolute: ${p.rendererDir}`);
  if (p.devServerOrigin !== undefined) {
    const u = new URL(p.devServerOrigin);
    if (!p.dev) throw new Error('a renderer dev server is for development only');
    if (u.protocol !== 'http:' || !isLoopbackHost(u.hostname)) throw new Error(`the dev server must be http on loopback, not ${p.devServerOrigin}`);
  }
  return { ...p, rendererDir: path.resolve(p.rendererDir) };
}

/** Is this file:// URL a file inside the renderer folder (not the folder, not beside it)? */
export function isInsideDir(fileUrl: URL, dir: string): boolean {
  let p: string;
  try {
    p = fileURLToPath(fileUrl);
  } catch {
    return false; // file://server/share and other non-local forms
  }
  const rel = path.relative(path.resolve(dir), path.resolve(p));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function decideRequest(url: string, resourceType: string | undefined, p: RequestPolicy): Verdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return block('not a URL');
  }
  switch (u.protocol) {
    case 'file:':
      return isInsideDir(u, p.rendererDir) ? ALLOW : block('a local file outside the app');
    case 'devtools:':
      return p.dev ? ALLOW : block('DevTools are off in production');
    case 'data:':
    case 'blob:':
      return resourceType === 'image' ? ALLOW : block(`${u.protocol} URLs only for images`);
    case 'http:':
    case 'ws:': {
      if (!p.dev || p.devServerOrigin === undefined) return block('no network: the app loads only its own files');
      const dev = new URL(p.devServerOrigin);
      return isLoopbackHost(u.hostname) && u.host === dev.host ? ALLOW : block('only the loopback dev server');
    }
    default:
      return block(`${u.protocol} is not allowed`);
  }
}

export interface WebRequestLike {
  onBeforeRequest(listener: (details: { url: string; resourceType: string }, callback: (response: { cancel: boolean }) => void) => void): void;
}

export function installRequestFilter(webRequest: WebRequestLike, p: RequestPolicy, onBlocked: (url: string, reason: string) => void = () => undefined): void {
  const policy = makeRequestPolicy(p);
  webRequest.onBeforeRequest((details, callback) => {
    const v = decideRequest(details.url, details.resourceType, policy);
    if (!v.allow) onBlocked(details.url, v.reason);
    callback({ cancel: !v.allow });
  });
}
