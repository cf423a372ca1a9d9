/**
 * The renderer never leaves the app: navigations to anything but the app's
 * own page are cancelled, new windows are denied, webviews never attach, and
 * external links are not opened (no shell.openExternal anywhere).
 */

/** Same page as the app (any #fragment: the renderer routes by hash). */
export function isAppUrl(url: string, appUrl: string): boolean {
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return u.protocol === app.protocol && u.host === app.host && u.pathname === app.pathname && u.search === app.search && !u.username && !u.password;
}

export interface NavigationEventLike {
  url: string;
  preventDefault(): void;
}

export interface GuardableContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function guardNavigation(contents: GuardableContents, appUrl: string, onBlocked: (what: string, url: string) => void = () => undefined): void {
  for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
    contents.on(name, (event) => {
      if (!isAppUrl(event.url, appUrl)) {
        event.preventDefault();
        onBlocked(name, event.url);
      }
    });
  }
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked('will-attach-webview', '');
  });
  contents.setWindowOpenHandler((details) => {
    onBlocked('window-open', details.url);
    return { action: 'deny' };
  });
}
