/**
 * The loopback server's bearer token arrives once, in the URL fragment
 * (`#token=...`, never sent to the server in a request line or a Referer).
 * It is moved to sessionStorage and wiped from the address bar and history.
 */
const KEY = 'cairn.token';

export function takeToken(loc: Location = window.location, storage: Storage = window.sessionStorage, history: History = window.history): string | null {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return storage.getItem(KEY);
}
