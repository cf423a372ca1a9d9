/**
 * A self-contained check that a provider works end to end: one canned
 * passage, one question, the full agent (tools, structured reply, citation
 * check). Used by `cairn models test`; needs no store.
 */
import type { ScoredChunk } from '../core/types.js';
import { answerQuestion } from './agent.js';
import type { AgentAnswer, AnswerProvider } from './types.js';

const PAGE = 'The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time. It carried 40,000 tonnes of diesel.';
export const SMOKE_QUESTION = 'When did the Blue Heron arrive at Port Sarn?';

const PASSAGE: ScoredChunk = { id: '0'.repeat(63) + '1', sourceId: 'f'.repeat(64), ordinal: 0, text: PAGE, page: 1, start: 0, end: PAGE.length, marking: 'UNCLASSIFIED', score: 1, title: 'Smoke-test report' };

export interface SmokeResult {
  name: string;
  id: string;
  ok: boolean;
  /** Why the model failed, when it did (the answer then fell back). */
  failure?: string;
  answer: AgentAnswer;
}

export async function smokeTest(provider: AnswerProvider, opts: { maxTokens?: number; timeoutMs?: number; onToken?: (t: string) => void } = {}): Promise<SmokeResult> {
  let failure: string | undefined;
  const answer = await answerQuestion(SMOKE_QUESTION, {
    provider,
    deps: { search: async () => [PASSAGE], getPassage: async () => [PASSAGE], listSources: async () => [{ id: PASSAGE.sourceId, kind: 'document', title: PASSAGE.title, marking: PASSAGE.marking }] },
    maxSteps: 2,
    maxTokens: opts.maxTokens ?? 256,
    timeoutMs: opts.timeoutMs ?? 120_000,
    onEvent: (e) => {
      if (e.type === 'error') failure = `${e.reason}: ${e.message}`;
      if (e.type === 'token') opts.onToken?.(e.text);
    },
  });
  const d = provider.describe();
  return { name: d.name, id: provider.id, ok: failure === undefined, ...(failure ? { failure } : {}), answer };
}
