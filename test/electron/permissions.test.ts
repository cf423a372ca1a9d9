import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from '../../main/electron/permissions.js';
import { hardenSession, withCsp } from '../../main/electron/session-hardening.js';

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'window-management', 'unknown'];

function fakeSession() {
  const s = {
    request: undefined as Parameters<PermissionSession['setPermissionRequestHandler']>[0] | undefined,
    check: undefined as Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined,
    device: undefined as Parameters<PermissionSession['setDevicePermissionHandler']>[0] | undefined,
    beforeRequest: undefined as unknown,
    headers: undefined as ((d: { responseHeaders?: Record<string, string[] | string> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined,
  };
  const ses = {
    setPermissionRequestHandler: (h: typeof s.request) => (s.request = h),
    setPermissionCheckHandler: (h: typeof s.check) => (s.check = h),
    setDevicePermissionHandler: (h: typeof s.device) => (s.device = h),
    webRequest: { onBeforeRequest: (l: unknown) => (s.beforeRequest = l), onHeadersReceived: (l: typeof s.headers) => (s.headers = l) },
  };
  return { s, ses };
}

describe('permissions', () => {
  it('denies every permission request', () => {
    const { s, ses } = fakeSession();
    const denied: string[] = [];
    denyAllPermissions(ses, (p) => denied.push(p));
    for (const p of PERMISSIONS) {
      let granted: boolean | undefined;
      s.request!({}, p, (g) => (granted = g), {});
      expect(granted, p).toBe(false);
    }
    expect(denied).toEqual(PERMISSIONS);
  });

  it('answers every permission check and device request with no', () => {
    const { s, ses } = fakeSession();
    denyAllPermissions(ses);
    for (const p of PERMISSIONS) expect(s.check!({}, p, 'file:///', {}), p).toBe(false);
    expect(s.device!({ deviceType: 'hid', origin: 'file://' })).toBe(false);
  });
});

describe('session hardening', () => {
  it('installs permissions, the request filter and the CSP header together', () => {
    const { s, ses } = fakeSession();
    hardenSession(ses, { policy: { rendererDir: '/opt/app/renderer/dist', dev: false }, csp: "default-src 'self'" });
    expect(s.request).toBeTypeOf('function');
    expect(s.check).toBeTypeOf('function');
    expect(s.beforeRequest).toBeTypeOf('function');
    let out: Record<string, string[]> | undefined;
    s.headers!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] });
  });

  it('withCsp replaces any CSP a response brought, whatever its case, and report-only too', () => {
    expect(withCsp({ 'Content-Security-Policy': 'x', 'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['y'], a: ['1'] }, 'z')).toEqual({ a: ['1'], 'Content-Security-Policy': ['z'] });
    expect(withCsp(undefined, 'z')).toEqual({ 'Content-Security-Policy': ['z'] });
  });
});
