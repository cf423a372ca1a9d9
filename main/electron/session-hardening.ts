import { denyAllPermissions, type PermissionSession } from './permissions.js';
import { installRequestFilter, type RequestPolicy, type WebRequestLike } from './request-filter.js';

/**
 * Everything applied to a session (the default one and any other created):
 * permissions denied, non-local requests cancelled, and our CSP on every
 * response that has headers (a dev server's; file:// pages carry it in a
 * meta tag, see csp.ts).
 */

export type ResponseHeaders = Record<string, string[] | string>;

/** The response headers with any CSP the response brought replaced by ours. */
export function withCsp(headers: ResponseHeaders | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy' || k.toLowerCase() === 'content-security-policy-report-only') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

export interface HardenableSession extends PermissionSession {
  webRequest: WebRequestLike & {
    onHeadersReceived(listener: (details: { responseHeaders?: ResponseHeaders }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void): void;
  };
}

export function hardenSession(ses: HardenableSession, o: { policy: RequestPolicy; csp: string; log?: (message: string) => void }): void {
  const log = o.log ?? (() => undefined);
  denyAllPermissions(ses, (permission) => log(`denied permission: ${permission}`));
  installRequestFilter(ses.webRequest, o.policy, (url, reason) => log(`blocked ${url.slice(0, 200)}: ${reason}`));
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders, o.csp) }));
}
