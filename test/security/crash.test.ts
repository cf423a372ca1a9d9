/**
 * Fast subset of the crash-consistency check: three real `cairn ingest`
 * processes SIGKILLed at random moments (fixed seed), each followed by the
 * full set of checks and a completing re-run. `npm run verify:security`
 * runs 24 ingest and 10 package-import trials and the cut-off-tail probe.
 */
import { describe, expect, it } from 'vitest';
import { runCrashTrials } from '../../scripts/security/crash.js';

describe('SIGKILL during ingest (3 trials)', () => {
  it('leaves a consistent store, a verifiable audit log, and a batch a re-run completes', async () => {
    const r = await runCrashTrials({ trials: 3, packageTrials: 0, seed: 20240503, docs: 6, probe: false });
    const trials = r.scenarios.flatMap((s) => s.trials);
    expect(trials).toHaveLength(3);
    expect(trials.filter((t) => t.problems.length > 0).map((t) => `#${t.trial} at ${t.delayMs} ms: ${t.problems.join(' | ')}`)).toEqual([]);
    expect(trials.every((t) => t.rerunComplete)).toBe(true);
    // A cut-off last audit line (made on a copy of the log) is always detected and repaired.
    expect(trials.filter((t) => t.syntheticCut.tried).every((t) => t.syntheticCut.detected && t.syntheticCut.repaired)).toBe(true);
    expect(r.egressAttempts).toBe(0);
  }, 150_000);
});
