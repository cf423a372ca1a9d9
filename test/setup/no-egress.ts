/**
 * Air-gap guard for the whole suite: any attempt to open a socket to, or
 * resolve, anything but loopback fails the test that made it. Loaded by
 * vitest.config.ts for every test file.
 */
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

export function isLoopback(host: string | undefined): boolean {
  if (!host) return true; // Node defaults to localhost
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

export const egressAttempts: string[] = [];

function refuse(what: string): never {
  egressAttempts.push(what);
  throw new Error(`air-gap guard: refused ${what} (tests may only reach loopback)`);
}

type ConnectArgs = Parameters<net.Socket['connect']>;
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  // net.connect() hands connect() its already-normalised [options, callback] array.
  const first = (Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0]) as unknown;
  let host: string | undefined;
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: string; path?: string };
    if (o.path === undefined) host = o.host ?? 'localhost';
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  // A string first argument that is not a port is a unix socket path: local.
  if (host !== undefined && !isLoopback(host)) refuse(`a connection to ${host}`);
  return originalConnect.apply(this, args);
} as typeof net.Socket.prototype.connect;

const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopback(hostname)) refuse(`a DNS lookup of ${hostname}`);
  return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
};
const originalPromiseLookup = dns.promises.lookup;
(dns.promises as { lookup: unknown }).lookup = async function guardedPromiseLookup(hostname: string, ...rest: unknown[]) {
  if (!isLoopback(hostname)) refuse(`a DNS lookup of ${hostname}`);
  return (originalPromiseLookup as (...a: unknown[]) => Promise<unknown>).call(dns.promises, hostname, ...rest);
};
