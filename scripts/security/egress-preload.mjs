// Egress counter, preloaded into every Node process of a measured run with
// NODE_OPTIONS="--import=<this file>" (so child processes and worker threads
// get it too). Like test/setup/no-egress.ts it refuses any socket or DNS
// lookup beyond loopback; unlike it, it also appends each attempt as one JSON
// line to $CAIRN_EGRESS_LOG, so a parent process can count them after the run.
// Plain .mjs on purpose: it must load before tsx is registered.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { isMainThread, threadId } from 'node:worker_threads';

const LOG = process.env.CAIRN_EGRESS_LOG;
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

function isLoopback(host) {
  if (!host) return true;
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

function refuse(what) {
  const where = (new Error().stack ?? '').split('\n').slice(3, 8).map((l) => l.trim()).join(' <- ');
  if (LOG) {
    try {
      appendFileSync(LOG, `${JSON.stringify({ pid: process.pid, thread: isMainThread ? 0 : threadId, what, where, argv: process.argv.slice(1, 4) })}\n`);
    } catch {
      // counting must never be the thing that breaks the run
    }
  }
  throw new Error(`air-gap guard: refused ${what}`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host;
  if (typeof first === 'object' && first !== null) {
    if (first.path === undefined) host = first.host ?? 'localhost';
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (host !== undefined && !isLoopback(host)) refuse(`a connection to ${host}`);
  return originalConnect.apply(this, args);
};

const wrapLookup = (target, name) => {
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function guardedLookup(hostname, ...rest) {
    if (!isLoopback(hostname)) refuse(`a DNS ${name} of ${hostname}`);
    return original.call(this, hostname, ...rest);
  };
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv']) {
  wrapLookup(dns, name);
  wrapLookup(dns.promises, name);
  wrapLookup(dns.Resolver.prototype, name);
  wrapLookup(dns.promises.Resolver.prototype, name);
}

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(...args) {
  // send(msg, [offset, length,] port, address, cb): the address is the first string after the message.
  const address = args.slice(1).find((a) => typeof a === 'string');
  if (address !== undefined && !isLoopback(address)) refuse(`a UDP datagram to ${address}`);
  return originalSend.apply(this, args);
};
const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
  if (typeof address === 'string' && !isLoopback(address)) refuse(`a UDP connection to ${address}`);
  return originalUdpConnect.call(this, port, address, ...rest);
};
