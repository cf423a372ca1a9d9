/**
 * Replay ranks as the recorded ask did: with whole-document scores when the
 * record says they were used, with passages alone for an answer recorded
 * before them (real ask records on a real temp store).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { replayAsk } from '../../main/api/replay.js';
import { hashRecord } from '../../main/audit/record.js';
import { ANALYSIS_VERSION } from '../../main/search/analyse.js';
import type { ScoredChunk } from '../../main/core/types.js';
import { makeCorpus, type Corpus } from '../reports/fixtures.js';

let corpus: Corpus | undefined;
afterEach(async () => corpus?.cleanup());

describe('replay ranking settings', () => {
  it('replays with the recorded document weight, and with passages alone for a record from before document scores', async () => {
    corpus = await makeCorpus('replay-ranking');
    const id = await corpus.ask('When did the convoy leave the northern depot?');
    const record = (await corpus.cairn.auditRecords()).find((r) => r.hash === id)!;
    const retrieval = (record.payload as { retrieval: Record<string, unknown> }).retrieval;
    expect(retrieval.documentEvidence).toEqual({ weight: 1, used: true });
    expect(retrieval.analysis).toBe(ANALYSIS_VERSION);

    const seen: unknown[] = [];
    const deps = {
      retrieve: async (_q: string, _k: number, _f?: unknown, ranking?: unknown): Promise<ScoredChunk[]> => {
        seen.push(ranking);
        return [];
      },
      chunksById: async (): Promise<ScoredChunk[]> => [],
      noEvidenceAnswer: 'none',
    };
    const now = await replayAsk(record, deps);
    expect(seen[0]).toEqual({ documentWeight: 1 });
    expect(now.notes.join(' ')).not.toMatch(/whole-document/);

    // The same ask as an earlier version recorded it: no documentEvidence (re-sealed so the hash still holds).
    const { documentEvidence: _dropped, ...before } = retrieval;
    const unsealed = { ...record, payload: { ...(record.payload as object), retrieval: before } };
    const older = { ...unsealed, hash: hashRecord(unsealed) };
    const then = await replayAsk(older, deps);
    expect(seen[1]).toEqual({ documentWeight: 0 });
    expect(then.notes.join(' ')).toMatch(/before whole-document scores/);
    expect(then.notes.join(' ')).not.toMatch(/full-text analysis/);
  });

  it('says when the full-text analysis changed since the answer was recorded', async () => {
    corpus = await makeCorpus('replay-analysis');
    const id = await corpus.ask('When did the convoy leave the northern depot?');
    const record = (await corpus.cairn.auditRecords()).find((r) => r.hash === id)!;
    const deps = { retrieve: async (): Promise<ScoredChunk[]> => [], chunksById: async (): Promise<ScoredChunk[]> => [], noEvidenceAnswer: 'none' };
    expect((await replayAsk(record, deps)).notes.join(' ')).not.toMatch(/full-text analysis/);
    const retrieval = (record.payload as { retrieval: Record<string, unknown> }).retrieval;
    const unsealed = { ...record, payload: { ...(record.payload as object), retrieval: { ...retrieval, analysis: ANALYSIS_VERSION - 1 } } };
    const older = { ...unsealed, hash: hashRecord(unsealed) };
    expect((await replayAsk(older, deps)).notes.join(' ')).toMatch(new RegExp(`full-text analysis .* version ${ANALYSIS_VERSION} now, ${ANALYSIS_VERSION - 1} when`));
  });
});
