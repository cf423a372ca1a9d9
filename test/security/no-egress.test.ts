import dns from 'node:dns';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { egressAttempts, isLoopback } from '../setup/no-egress.js';

describe('air-gap guard', () => {
  it('knows loopback from everything else', () => {
    for (const h of ['localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['10.0.0.1', '8.8.8.8', 'example.org', '::ffff:8.8.8.8', '2001:db8::1']) expect(isLoopback(h)).toBe(false);
  });

  it('refuses a socket to a remote address and a DNS lookup of a remote name', async () => {
    const before = egressAttempts.length;
    expect(() => net.connect({ host: '192.0.2.1', port: 80 })).toThrow(/air-gap guard/);
    expect(() => dns.lookup('example.org', () => undefined)).toThrow(/air-gap guard/);
    await expect(fetch('http://192.0.2.1/')).rejects.toThrow();
    expect(egressAttempts.length).toBeGreaterThan(before);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const data = await new Promise<string>((resolve, reject) => {
      const c = net.connect({ host: '127.0.0.1', port }, () => undefined);
      let buf = '';
      c.on('data', (d) => (buf += d.toString()));
      c.on('end', () => resolve(buf));
      c.on('error', reject);
    });
    expect(data).toBe('ok');
    server.close();
  });
});
