import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decideRequest, installRequestFilter, makeRequestPolicy } from '../../main/electron/request-filter.js';

const dir = path.resolve('/opt/Cairn/resources/app.asar/renderer/dist');
const file = (p: string): string => pathToFileURL(path.join(dir, p)).href;
const prod = makeRequestPolicy({ rendererDir: dir, dev: false });
const dev = makeRequestPolicy({ rendererDir: dir, dev: true, devServerOrigin: 'http://127.0.0.1:5173' });
const devNoServer = makeRequestPolicy({ rendererDir: dir, dev: true });

const allowed = (url: string, type: string, p = prod): boolean => decideRequest(url, type, p).allow;

describe('request filter', () => {
  it('allows the app files', () => {
    expect(allowed(file('index.html'), 'mainFrame')).toBe(true);
    expect(allowed(file('assets/index-abc123.js'), 'script')).toBe(true);
    expect(allowed(file('assets/world.json'), 'xhr')).toBe(true);
    expect(allowed(`${file('index.html')}#/ask`, 'mainFrame')).toBe(true);
  });

  it.each([
    ['a file beside the app', pathToFileURL(path.join(dir, '..', 'package.json')).href, 'xhr'],
    ['the home folder', pathToFileURL('/home/analyst/.ssh/id_ed25519').href, 'xhr'],
    ['a traversal', `${pathToFileURL(dir).href}/../../../etc/passwd`, 'xhr'],
    ['an encoded traversal', `${pathToFileURL(dir).href}/%2e%2e/%2e%2e/etc/passwd`, 'xhr'],
    ['the folder itself', pathToFileURL(dir).href, 'mainFrame'],
    ['a sibling with the same prefix', pathToFileURL(`${dir}-evil/x.js`).href, 'script'],
    ['a UNC-style file URL', 'file://fileserver/share/x.js', 'script'],
    ['a remote page', 'https://example.com/', 'mainFrame'],
    ['a remote image', 'https://tile.openstreetmap.org/1/1/1.png', 'image'],
    ['a remote font', 'https://fonts.gstatic.com/s/roboto.woff2', 'font'],
    ['plain http to the world', 'http://example.com/x.js', 'script'],
    ['a websocket to the world', 'wss://example.com/socket', 'webSocket'],
    ['a ws to loopback (no dev server)', 'ws://127.0.0.1:9229/', 'webSocket'],
    ['the cairn serve API', 'http://127.0.0.1:7411/api/search', 'xhr'],
    ['a data: script', 'data:text/javascript,alert(1)', 'script'],
    ['a data: frame', 'data:text/html,<script>alert(1)</script>', 'subFrame'],
    ['a data: stylesheet', 'data:text/css,body{}', 'stylesheet'],
    ['a blob: script', 'blob:file:///0b6f-1', 'script'],
    ['devtools in production', 'devtools://devtools/bundled/devtools_app.html', 'mainFrame'],
    ['chrome:', 'chrome://gpu', 'mainFrame'],
    ['javascript:', 'javascript:alert(1)', 'mainFrame'],
    ['ftp', 'ftp://example.com/x', 'other'],
    ['garbage', 'not a url', 'other'],
  ])('blocks %s', (_what, url, type) => {
    const v = decideRequest(url, type, prod);
    expect(v.allow).toBe(false);
    if (!v.allow) expect(v.reason.length).toBeGreaterThan(0);
  });

  it('allows data: and blob: for images only (as the CSP does)', () => {
    expect(allowed('data:image/png;base64,iVBORw0KGgo=', 'image')).toBe(true);
    expect(allowed('blob:file:///0b6f-1', 'image')).toBe(true);
    expect(allowed('data:image/svg+xml,<svg/>', 'subFrame')).toBe(false);
  });

  it('in development: DevTools, and the loopback dev server (http and its HMR websocket) only', () => {
    expect(allowed('devtools://devtools/bundled/devtools_app.html', 'mainFrame', dev)).toBe(true);
    expect(allowed('devtools://devtools/bundled/devtools_app.html', 'mainFrame', devNoServer)).toBe(true);
    expect(allowed('http://127.0.0.1:5173/src/main.tsx', 'script', dev)).toBe(true);
    expect(allowed('ws://127.0.0.1:5173/', 'webSocket', dev)).toBe(true);
    expect(allowed('http://127.0.0.1:5174/x.js', 'script', dev)).toBe(false);
    expect(allowed('http://localhost:5173/x.js', 'script', dev)).toBe(false);
    expect(allowed('https://example.com/x.js', 'script', dev)).toBe(false);
    expect(allowed('http://127.0.0.1:5173/x.js', 'script', devNoServer)).toBe(false);
  });

  it('refuses a dev server that is remote, https, or in production', () => {
    expect(() => makeRequestPolicy({ rendererDir: dir, dev: true, devServerOrigin: 'http://192.168.1.5:5173' })).toThrow(/loopback/);
    expect(() => makeRequestPolicy({ rendererDir: dir, dev: true, devServerOrigin: 'https://example.com' })).toThrow();
    expect(() => makeRequestPolicy({ rendererDir: dir, dev: false, devServerOrigin: 'http://127.0.0.1:5173' })).toThrow(/development/);
    expect(() => makeRequestPolicy({ rendererDir: 'renderer/dist', dev: false })).toThrow(/absolute/);
  });

  it('is installed as onBeforeRequest and cancels what it blocks', () => {
    let listener: ((d: { url: string; resourceType: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    const blocked: string[] = [];
    installRequestFilter({ onBeforeRequest: (l) => (listener = l) }, { rendererDir: dir, dev: false }, (url) => blocked.push(url));
    const answer = (url: string, resourceType: string): boolean | undefined => {
      let cancel: boolean | undefined;
      listener!({ url, resourceType }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(answer(file('index.html'), 'mainFrame')).toBe(false);
    expect(answer('https://example.com/beacon', 'ping')).toBe(true);
    expect(blocked).toEqual(['https://example.com/beacon']);
  });
});
