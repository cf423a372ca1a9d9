/**
 * Resident memory per phase of a benchmark, for finding where a peak comes
 * from: the JS heap, buffers held from JS (Arrow columns, vectors), or
 * native memory (LanceDB's Rust side, which shows only as RSS beyond the
 * other two). Phases may interleave (generate, embed, append, per batch);
 * each keeps the largest sample taken while it was current. Sampled on a
 * timer, so a phase that blocks the event loop (generation) is sampled at
 * its boundaries only; LanceDB's work runs off the JS thread and is sampled
 * throughout.
 */
export interface PhaseRss {
  /** Largest resident set seen in the phase, MiB. */
  rssMiB: number;
  /** At that sample: JS heap in use and memory outside the heap held from JS (ArrayBuffers, Buffers), MiB. */
  heapMiB: number;
  externalMiB: number;
  seconds: number;
}

const MiB = 2 ** 20;

export class RssPhases {
  private readonly phases = new Map<string, PhaseRss>();
  private current: string | null = null;
  private since = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 20) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Makes `name` the current phase (null: none), sampling at the switch. */
  enter(name: string | null): void {
    this.sample();
    const now = performance.now();
    if (this.current !== null) this.get(this.current).seconds += (now - this.since) / 1000;
    this.current = name;
    this.since = now;
    this.sample();
  }

  async during<T>(name: string, f: () => Promise<T> | T): Promise<T> {
    const previous = this.current;
    this.enter(name);
    try {
      return await f();
    } finally {
      this.enter(previous);
    }
  }

  stop(): Record<string, PhaseRss> {
    this.enter(null);
    clearInterval(this.timer);
    const out: Record<string, PhaseRss> = {};
    for (const [name, p] of this.phases) out[name] = { rssMiB: Math.round(p.rssMiB), heapMiB: Math.round(p.heapMiB), externalMiB: Math.round(p.externalMiB), seconds: +p.seconds.toFixed(1) };
    return out;
  }

  private get(name: string): PhaseRss {
    let p = this.phases.get(name);
    if (!p) this.phases.set(name, (p = { rssMiB: 0, heapMiB: 0, externalMiB: 0, seconds: 0 }));
    return p;
  }

  private sample(): void {
    if (this.current === null) return;
    const m = process.memoryUsage();
    const p = this.get(this.current);
    if (m.rss / MiB > p.rssMiB) {
      p.rssMiB = m.rss / MiB;
      p.heapMiB = m.heapUsed / MiB;
      p.externalMiB = m.external / MiB; // includes arrayBuffers
    }
  }
}
