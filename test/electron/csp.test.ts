import { describe, expect, it } from 'vitest';
import { CSP } from '../../main/api/security-headers.js';
import { rendererCsp, rendererCspDirectives, rendererCspMeta } from '../../main/electron/csp.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('renderer Content-Security-Policy', () => {
  it('is the same policy cairn serve sends', () => {
    expect(rendererCsp()).toBe(CSP);
    expect(CSP).toBe("default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  });

  it('names no remote origin and nothing unsafe', () => {
    for (const csp of [rendererCsp(), rendererCspMeta()]) {
      expect(csp).not.toMatch(/https?:|wss?:|\*/);
      expect(csp).not.toMatch(/unsafe-(inline|eval|hashes)|wasm-unsafe-eval|strict-dynamic/);
      const d = directives(csp);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('script-src')).not.toContain('data:');
      expect(d.get('script-src')).not.toContain('blob:');
    }
  });

  it('meta form drops only frame-ancestors (ignored in <meta>)', () => {
    expect(directives(rendererCsp()).has('frame-ancestors')).toBe(true);
    expect(directives(rendererCspMeta()).has('frame-ancestors')).toBe(false);
    expect(rendererCspMeta()).toBe(rendererCsp().replace("frame-ancestors 'none'; ", ''));
  });

  it('with a dev server adds that loopback origin only, still nothing unsafe', () => {
    const csp = rendererCsp({ devServerOrigin: 'http://127.0.0.1:5173' });
    expect(csp).not.toMatch(/unsafe-/);
    const d = directives(csp);
    expect(d.get('script-src')).toEqual(["'self'", 'http://127.0.0.1:5173']);
    expect(d.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:5173', 'ws://127.0.0.1:5173']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(rendererCspDirectives()).toBe(rendererCspDirectives({}));
  });
});
