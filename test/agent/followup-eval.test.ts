import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpQuery, looksLikeFollowUp } from '../../main/agent/followup.js';
import { Cairn } from '../../main/api/cairn.js';
import { FOLLOW_UP_CASES, formatFollowUpReport, runFollowUpEval, writeFollowUpDocs } from '../../main/eval/followup.js';

describe('follow-up detection', () => {
  it('carries the earlier subject only into questions that lean on it', () => {
    expect(looksLikeFollowUp('And when did it leave?')).toBe(true);
    expect(looksLikeFollowUp('What about the crew?')).toBe(true);
    expect(looksLikeFollowUp('When did Storm Idris hit the Kessa coast?')).toBe(false);
    const turns = [{ question: 'When did the Blue Heron arrive at Port Sarn?', answer: '', sentences: [], at: '' }];
    const f = followUpQuery('When did it depart?', { turns });
    expect(f.isFollowUp).toBe(true);
    expect(f.carried).toEqual(['blue', 'heron', 'arrive', 'port', 'sarn']);
    expect(f.contextTerms).toContain('arriv');
    expect(followUpQuery('When did Storm Idris hit the Kessa coast?', { turns }).isFollowUp).toBe(false);
    expect(followUpQuery('When did it depart?', { turns: [] }).isFollowUp).toBe(false);
    // A chain of follow-ups reaches back to the question that named the subject.
    const chain = followUpQuery('Where was it bound?', { turns: [...turns, { question: 'When did it depart?', answer: '', sentences: [], at: '' }] });
    expect(chain.carried).toEqual(expect.arrayContaining(['depart', 'heron']));
  });
});

describe('follow-up set on the extractive path (real LanceDB)', () => {
  let root: string;
  let cairn: Cairn;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-followup-'));
    const files = await writeFollowUpDocs(root);
    cairn = await Cairn.open(path.join(root, 'data'));
    expect((await cairn.ingest({ paths: files })).ingested).toBe(files.length);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers more follow-ups with the conversation than without, and no control gets worse', async () => {
    const r = await runFollowUpEval((input) => cairn.ask(input));
    const misses = r.cases.filter((c) => !c.hitWithHistory).map((c) => `${c.first} -> ${c.second}: ${c.withHistory ?? '(nothing found)'}`);
    console.log(formatFollowUpReport(r));
    if (misses.length) console.log(`missed with history:\n  ${misses.join('\n  ')}`);
    expect(r.followUps.n).toBe(FOLLOW_UP_CASES.filter((c) => !c.control).length);
    expect(r.followUps.withHistory).toBeGreaterThan(r.followUps.alone);
    expect(r.followUps.withHistory / r.followUps.n).toBeGreaterThanOrEqual(0.7);
    expect(r.controls.withHistory).toBeGreaterThanOrEqual(r.controls.alone);
  });
});
