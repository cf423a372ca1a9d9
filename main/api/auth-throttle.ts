/**
 * Slows down token guessing: after `maxFailures` refused tokens from one
 * address within `windowMs`, that address is refused outright (HTTP 429)
 * until `lockMs` has passed. Tokens are 128+ random bits, so guessing one is
 * hopeless anyway; this keeps a misbehaving client on a shared server from
 * hammering the token check and the log, and makes a scan visible.
 *
 * A successful request does not clear an address's failures: a client that
 * holds one valid token must not be able to interleave guesses for others.
 */
export interface AuthThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** Addresses tracked at once; the oldest is forgotten past this (bounded memory under a spoofing flood). */
  maxAddresses?: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class AuthThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly maxAddresses: number;

  constructor(opts: AuthThrottleOptions = {}) {
    this.maxFailures = opts.maxFailures ?? 20;
    this.windowMs = opts.windowMs ?? 60_000;
    this.lockMs = opts.lockMs ?? 60_000;
    this.maxAddresses = opts.maxAddresses ?? 10_000;
  }

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfter(address: string, now = Date.now()): number {
    const e = this.entries.get(address);
    if (!e || e.lockedUntil <= now) return 0;
    return Math.ceil((e.lockedUntil - now) / 1000);
  }

  /** Records a refused token; returns seconds to wait when this one tripped the lock. */
  fail(address: string, now = Date.now()): number {
    let e = this.entries.get(address);
    if (!e) {
      if (this.entries.size >= this.maxAddresses) this.entries.delete(this.entries.keys().next().value as string);
      e = { failures: [], lockedUntil: 0 };
      this.entries.set(address, e);
    }
    e.failures = e.failures.filter((t) => now - t < this.windowMs);
    e.failures.push(now);
    if (e.failures.length >= this.maxFailures) {
      e.lockedUntil = now + this.lockMs;
      e.failures = [];
    }
    return this.retryAfter(address, now);
  }
}
