import net from 'node:net';

/**
 * Loopback checks for the HTTP transport: which addresses `cairn serve` may
 * bind without `--allow-remote`, and which Host headers it answers (a check
 * against DNS rebinding: a hostile page whose name re-resolves to 127.0.0.1
 * still sends its own name as Host).
 */

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** A host name or address that only ever means this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h) || /^(0+:){7}0*1$/.test(h);
  return false;
}

/** 0.0.0.0 / :: : every interface. */
export function isWildcardHost(host: string): boolean {
  const h = stripBrackets(host);
  return h === '0.0.0.0' || h === '::' || /^(0+:){7}0+$/.test(h);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Splits a Host header value (`name`, `name:port`, `[v6]:port`); undefined when malformed. */
export function parseHostHeader(value: string): { hostname: string; port: number | undefined } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m?.[1]) return undefined;
  return { hostname: stripBrackets(m[1]).toLowerCase(), port: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface HostPolicy {
  /** The port the server listens on. */
  port: number;
  /** Extra names (e.g. the machine's name with --allow-remote). */
  extraHosts?: readonly string[];
  /** Accept any Host (bound to every interface with --allow-remote): the token is then the only gate. */
  anyHost?: boolean;
}

/** Is this Host header one the server answers? */
export function hostAllowed(value: string | undefined, policy: HostPolicy): boolean {
  if (value === undefined) return false;
  const parsed = parseHostHeader(value);
  if (!parsed) return false;
  if (parsed.port !== undefined && parsed.port !== policy.port) return false;
  if (policy.anyHost) return true;
  if (isLoopbackHost(parsed.hostname)) return true;
  return (policy.extraHosts ?? []).some((h) => stripBrackets(h).toLowerCase() === parsed.hostname);
}

/** Is this Origin header (sent by browsers on cross-origin and POST requests) this server itself? */
export function originAllowed(origin: string | undefined, policy: HostPolicy & { extraOrigins?: readonly string[] }): boolean {
  if (origin === undefined) return true; // not a browser, or a same-origin GET
  if ((policy.extraOrigins ?? []).includes(origin)) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || u.pathname !== '/' || u.username || u.password) return false;
  return hostAllowed(u.host, policy) && (u.port === '' ? 80 : Number(u.port)) === policy.port;
}
