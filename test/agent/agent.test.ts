import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { answerQuestion, Conversation, ExtractiveProvider, LangChainProvider, streamAnswer, type AgentEvent, type ChatProvider } from '../../main/agent/index.js';
import { harbour, pageOf, scriptedDeps } from './helpers.js';

const Q = 'When did the Blue Heron arrive at Port Sarn?';

function fake(responses: string[], sleep?: number): { provider: LangChainProvider; seen: string[][] } {
  const seen: string[][] = [];
  const model = new FakeListChatModel({
    responses,
    ...(sleep ? { sleep } : {}),
    callbacks: [{ handleChatModelStart: (_llm: unknown, messages: { content: unknown }[][]) => void seen.push(messages[0]!.map((m) => String(m.content))) }],
  });
  return { provider: new LangChainProvider(model, { name: 'fake' }), seen };
}

function expectExactQuotes(citations: { chunkId: string; start: number; end: number; quote: string }[]): void {
  for (const c of citations) expect(pageOf(c.chunkId).slice(c.start, c.end)).toBe(c.quote);
}

describe('answerQuestion with a fake chat model', () => {
  it('chains tools (search -> get_passage -> answer) and cites exact page spans', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const { provider, seen } = fake([
      '{"tool": "get_passage", "args": {"chunkId": "c1", "neighbours": 1}}',
      JSON.stringify({
        sentences: [
          { text: 'The Blue Heron arrived at Port Sarn on 12 March at 0400 local time.', chunkIds: ['c1'] },
          { text: 'Harbour master Ilse Varga logged the arrival.', chunkIds: ['c2'] },
        ],
      }),
    ]);
    const events: AgentEvent[] = [];
    const a = await answerQuestion(Q, { provider, deps, onEvent: (e) => events.push(e) });
    expect(a.status).toBe('answered');
    expect(a.note).toBeUndefined();
    expect(a.toolCalls.map((t) => [t.tool, t.by])).toEqual([
      ['search_documents', 'agent'],
      ['get_passage', 'model'],
    ]);
    expect(deps.calls).toEqual([`search:${Q}`, `get:${harbour.chunks[0]!.id}:1`]);
    expect(a.sentences.map((s) => s.supported)).toEqual([true, true]);
    expect(a.sentences[1]!.citations[0]!.quote).toBe('Harbour master Ilse Varga logged the arrival.');
    expect(a.sentences[1]!.citations[0]!.chunkId).toBe(harbour.chunks[1]!.id);
    expectExactQuotes(a.citations);
    expect(a.retrieved.map((r) => r.chunkId)).toEqual([harbour.chunks[0]!.id, harbour.chunks[1]!.id]);
    expect(a.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.rawOutputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.steps.map((s) => s.outcome)).toEqual(['get_passage', 'answer']);
    expect(a.model.id).toBe('langchain:fake-list');
    expect(a.model.parameters).toMatchObject({ temperature: 0, maxSteps: 4 });
    // The second model call saw the get_passage result.
    expect(seen[1]!.join('\n')).toContain('Result of get_passage: 2 passages');
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['tool_start', 'tool_end']);
    expect(types).toContain('token');
    expect(types.filter((t) => t === 'sentence')).toHaveLength(2);
    expect(types[types.length - 1]).toBe('done');
  });

  it('rejects chunk ids that were never retrieved in the conversation', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const unretrieved = harbour.chunks[1]!.id; // exists in the store, but no tool returned it
    const { provider } = fake([
      JSON.stringify({
        sentences: [
          { text: 'The Blue Heron arrived at Port Sarn on 12 March.', chunkIds: ['c1'] },
          { text: 'Harbour master Ilse Varga logged the arrival.', chunkIds: [unretrieved] },
          { text: 'It carried 40,000 tonnes of diesel.', chunkIds: ['c7'] },
        ],
      }),
    ]);
    const a = await answerQuestion(Q, { provider, deps });
    expect(a.status).toBe('answered');
    expect(a.sentences.map((s) => s.text)).toEqual(['The Blue Heron arrived at Port Sarn on 12 March.']);
    expect(a.check!.rejectedIds.sort()).toEqual([unretrieved, 'c7'].sort());
    expect(a.citations.every((c) => c.chunkId === harbour.chunks[0]!.id)).toBe(true);
    expect(a.note).toMatch(/2 of 3 sentences .* removed/);
    const rejected = a.check!.sentences.filter((s) => !s.supported);
    expect(rejected.every((s) => s.citations.length === 0 && /never retrieved/.test(s.reason!))).toBe(true);
  });

  it('removes an unsupported sentence, or keeps it visibly flagged and uncited', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const reply = JSON.stringify({
      sentences: [
        { text: 'The Blue Heron arrived at Port Sarn on 12 March.', chunkIds: ['c1'] },
        { text: 'The Blue Heron arrived at Port Sarn on 15 March carrying 90,000 tonnes.', chunkIds: ['c1'] },
      ],
    });
    const removed = await answerQuestion(Q, { provider: fake([reply]).provider, deps });
    expect(removed.sentences).toHaveLength(1);
    expect(removed.answer).not.toContain('15 March');
    const bad = removed.check!.sentences[1]!;
    expect(bad.supported).toBe(false);
    expect(bad.reason).toMatch(/15.*90000|90000.*15/);

    const flagged = await answerQuestion(Q, { provider: fake([reply]).provider, deps, keepUnsupported: true });
    expect(flagged.sentences).toHaveLength(2);
    expect(flagged.sentences[1]).toMatchObject({ supported: false, citations: [] });
    expect(flagged.answer).toContain('[unsupported] The Blue Heron arrived at Port Sarn on 15 March');
    expect(flagged.citations.every((c) => !c.quote.includes('15 March'))).toBe(true);
  });

  it('falls back to the extractive answer with a note on malformed output', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const events: AgentEvent[] = [];
    const a = await answerQuestion(Q, { provider: fake(['{"sentences": [{"text": "The Blue']).provider, deps, onEvent: (e) => events.push(e) });
    expect(a.status).toBe('fallback');
    expect(a.note).toMatch(/failed \(malformed/);
    expect(a.sentences[0]!.text).toBe('The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time.');
    expect(a.sentences[0]!.supported).toBe(true);
    expectExactQuotes(a.citations);
    expect(events.find((e) => e.type === 'error')).toMatchObject({ reason: 'malformed', recovered: true });
  });

  it('falls back when no sentence survives the check', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const a = await answerQuestion(Q, { provider: fake(['{"sentences": [{"text": "Pirates seized it near Zanzibar.", "chunkIds": ["c1"]}]}']).provider, deps });
    expect(a.status).toBe('fallback');
    expect(a.note).toMatch(/none of the 1 sentences/);
    expect(a.check!.supported).toBe(0);
    expect(a.sentences.every((s) => s.supported && s.citations.length > 0)).toBe(true);
  });

  it('falls back on provider errors (unreachable, timeout) and never throws', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const base = { mode: 'chat' as const, id: 'stub', describe: () => ({ name: 'stub', kind: 'stub', id: 'stub', model: 'stub' }) };
    const unreachable: ChatProvider = { ...base, generate: async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })) };
    const a = await answerQuestion(Q, { provider: unreachable, deps });
    expect(a.status).toBe('fallback');
    expect(a.note).toMatch(/unreachable/);
    const hanging: ChatProvider = { ...base, generate: () => new Promise(() => undefined) };
    const t0 = performance.now();
    const b = await answerQuestion(Q, { provider: hanging, deps, timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(b.status).toBe('fallback');
    expect(b.note).toMatch(/timeout/);
    expect(b.sentences.length).toBeGreaterThan(0);
  });

  it('is cancelled by the abort signal mid-stream', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const long = JSON.stringify({ sentences: [{ text: 'The Blue Heron arrived at Port Sarn on 12 March.', chunkIds: ['c1'] }] });
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const t0 = performance.now();
    const p = answerQuestion(Q, {
      provider: fake([long], 20).provider,
      deps,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'token' && events.filter((x) => x.type === 'token').length === 3) controller.abort();
      },
    });
    const a = await p;
    expect(a.status).toBe('cancelled');
    expect(a.sentences).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(long.length * 20);
    expect(events.find((e) => e.type === 'error')).toMatchObject({ reason: 'cancelled', recovered: false });
    expect(events[events.length - 1]!.type).toBe('done');
  });

  it('forces an answer when the step budget runs out', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] }, [harbour.chunks[2]!]);
    const { provider, seen } = fake([
      '{"tool": "search_documents", "args": {"query": "Blue Heron departure", "k": 3}}',
      '{"tool": "search_documents", "args": {"query": "Blue Heron cargo", "k": 3}}',
      '{"sentences": [{"text": "The Blue Heron arrived at Port Sarn on 12 March.", "chunkIds": ["c1"]}]}',
    ]);
    const a = await answerQuestion(Q, { provider, deps, maxSteps: 3 });
    expect(a.status).toBe('answered');
    expect(a.toolCalls).toHaveLength(3);
    expect(seen[2]!.join('\n')).toContain('No more tool calls');
  });

  it('keeps history for follow-ups: earlier passages stay citable, the conversation persists', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!, harbour.chunks[1]!] }, []);
    const conversation = new Conversation();
    const first = fake(['{"sentences": [{"text": "The Blue Heron arrived at Port Sarn on 12 March.", "chunkIds": ["c1"]}]}']);
    await answerQuestion(Q, { provider: first.provider, deps, conversation });
    const restored = Conversation.fromJSON(JSON.parse(JSON.stringify(conversation)));
    const second = fake(['{"sentences": [{"text": "The Blue Heron departed on 14 March bound for Kessa.", "chunkIds": ["c2"]}]}']);
    const a = await answerQuestion('And when did it leave?', { provider: second.provider, deps, conversation: restored });
    expect(a.status).toBe('answered');
    expect(a.citations[0]!.chunkId).toBe(harbour.chunks[1]!.id);
    expect(a.retrieved.map((r) => r.chunkId)).toContain(harbour.chunks[1]!.id);
    const prompt = second.seen[0]!.join('\n');
    expect(prompt).toContain(`Question: ${Q}`);
    expect(prompt).toContain('Passages cited earlier in this conversation');
    expect(restored.turns).toHaveLength(2);
  });

  it('answers extractively with the extractive provider (no model, no check)', async () => {
    const deps = scriptedDeps({ [Q]: harbour.chunks });
    const a = await answerQuestion(Q, { provider: new ExtractiveProvider(), deps });
    expect(a.status).toBe('answered');
    expect(a.model.id).toBe('cairn-extractive');
    expect(a.check).toBeNull();
    expect(a.sentences[0]!.text).toContain('arrived at Port Sarn on 12 March');
    expectExactQuotes(a.citations);
  });

  it('streams events as an async iterable ending in done', async () => {
    const deps = scriptedDeps({ [Q]: [harbour.chunks[0]!] });
    const { provider } = fake(['{"sentences": [{"text": "The Blue Heron arrived at Port Sarn on 12 March.", "chunkIds": ["c1"]}]}']);
    const types: string[] = [];
    for await (const e of streamAnswer(Q, { provider, deps })) types.push(e.type);
    expect(types[0]).toBe('tool_start');
    expect(types).toContain('token');
    expect(types.slice(-2)).toEqual(['sentence', 'done']);
  });
});
