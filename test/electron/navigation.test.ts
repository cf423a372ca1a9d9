import { describe, expect, it } from 'vitest';
import { guardNavigation, isAppUrl, type GuardableContents, type NavigationEventLike } from '../../main/electron/navigation.js';

const APP = 'file:///opt/Cairn/resources/app.asar/renderer/dist/index.html';

function fakeContents() {
  const listeners = new Map<string, (e: NavigationEventLike) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents: GuardableContents = {
    on: (event: string, listener: (e: NavigationEventLike) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (h) => (openHandler = h),
  } as GuardableContents;
  const fire = (event: string, url: string): boolean => {
    let prevented = false;
    listeners.get(event)!({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents, listeners, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation and new windows', () => {
  it('recognises only the app page (any #route)', () => {
    expect(isAppUrl(APP, APP)).toBe(true);
    expect(isAppUrl(`${APP}#/review`, APP)).toBe(true);
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'file:///opt/Cairn/resources/app.asar/renderer/dist/other.html',
      `${APP}?evil=1`,
      'http://127.0.0.1:7411/',
      'javascript:alert(1)',
      'data:text/html,hi',
      'about:blank',
      'not a url',
    ]) {
      expect(isAppUrl(url, APP), url).toBe(false);
    }
  });

  it('cancels every navigation away (main frame, subframes, redirects) and allows a reload', () => {
    const f = fakeContents();
    const blocked: string[] = [];
    guardNavigation(f.contents, APP, (what, url) => blocked.push(`${what} ${url}`));
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(f.fire(ev, 'https://example.com/phish'), ev).toBe(true);
      expect(f.fire(ev, 'file:///home/analyst/secret.pdf'), ev).toBe(true);
      expect(f.fire(ev, `${APP}#/ask`), ev).toBe(false);
    }
    expect(blocked).toContain('will-navigate https://example.com/phish');
  });

  it('denies every new window, and opens nothing externally', () => {
    const f = fakeContents();
    guardNavigation(f.contents, APP);
    for (const url of ['https://example.com/', APP, 'about:blank', '']) expect(f.open(url)).toEqual({ action: 'deny' });
  });

  it('never lets a webview attach', () => {
    const f = fakeContents();
    guardNavigation(f.contents, APP);
    let prevented = false;
    (f.listeners.get('will-attach-webview') as unknown as (e: { preventDefault(): void }) => void)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});
