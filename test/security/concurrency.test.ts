/**
 * Fast subset of the concurrency check: two HTTP clients against a real
 * `cairn serve` for a few seconds, ingesting and searching/asking at once.
 * `npm run verify:security` runs four clients and a CLI writer for longer.
 */
import { describe, expect, it } from 'vitest';
import { runConcurrency } from '../../scripts/security/concurrency.js';

describe('two clients over the loopback HTTP server', () => {
  it('loses no acknowledged write and fails no read', async () => {
    const r = await runConcurrency({ clients: 2, durationMs: 8_000, docsPerClient: 8, cliWriter: false, seed: 7 });
    expect(r.ops).toBeGreaterThan(4);
    expect(r.lostWrites).toBe(0);
    expect(r.failedReads).toBe(0);
    // An ingest that stored its file must say so (optimize under the write lock: no commit-conflict 500s).
    expect(r.failedWrites).toBe(0);
    expect(r.phantomFailures).toBe(0);
    expect(r.problems).toEqual([]);
    expect(r.egressAttempts).toBe(0);
    for (const s of r.stats) expect(Number.isFinite(s.p95)).toBe(true);
  }, 120_000);
});
