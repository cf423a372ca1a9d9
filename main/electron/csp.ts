import { CSP_DIRECTIVES, type CspDirectives, formatCsp } from '../api/security-headers.js';

/**
 * The renderer's Content-Security-Policy in Electron: the same directives
 * `cairn serve` sends (main/api/security-headers.ts), no remote origin, no
 * 'unsafe-inline' or 'unsafe-eval'. With a renderer dev server (development
 * only) its loopback origin is added, nothing else.
 */

export interface CspOptions {
  /** e.g. http://127.0.0.1:5173; only in development, only loopback. */
  devServerOrigin?: string;
}

export function rendererCspDirectives(o: CspOptions = {}): CspDirectives {
  if (!o.devServerOrigin) return CSP_DIRECTIVES;
  const http = new URL(o.devServerOrigin);
  const ws = `ws://${http.host}`;
  const add = (name: string, ...extra: string[]): string[] => [...(CSP_DIRECTIVES[name] ?? []), ...extra];
  return {
    ...CSP_DIRECTIVES,
    'default-src': add('default-src', http.origin),
    'script-src': add('script-src', http.origin),
    'style-src': add('style-src', http.origin),
    'img-src': add('img-src', http.origin),
    'connect-src': add('connect-src', http.origin, ws),
  };
}

/** The header value (applied to every response the session sees). */
export function rendererCsp(o: CspOptions = {}): string {
  return formatCsp(rendererCspDirectives(o));
}

/**
 * For `<meta http-equiv="Content-Security-Policy">` in renderer/index.html:
 * file:// pages get no response headers, so the build must carry the policy.
 * frame-ancestors is left out (browsers ignore it in a meta tag).
 */
export function rendererCspMeta(o: CspOptions = {}): string {
  const { 'frame-ancestors': _ignored, ...rest } = rendererCspDirectives(o);
  return formatCsp(rest);
}
