// node-llama-cpp with a real (tiny) GGUF: loading, streaming, grammar-
// constrained structure, the citation check on its nonsense, embeddings.
// A 260K-parameter story model writes nonsense, so nothing here asserts wording.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerQuestion, checkAnswer, LlamaCppProvider } from '../../main/agent/index.js';
import { answerSchema, stepSchema } from '../../main/agent/protocol.js';
import { harbour, scriptedDeps } from './helpers.js';

const MODEL = path.resolve(process.cwd(), '../shared/models/stories260K.gguf');
const HAVE = existsSync(MODEL);
if (!HAVE) console.warn(`SKIPPED node-llama-cpp tests: ${MODEL} is absent (see ../shared/models/SOURCE.txt)`);
const suite = HAVE ? describe : describe.skip;

const Q = 'When did the Blue Heron arrive at Port Sarn?';

suite(`node-llama-cpp provider with ${path.basename(MODEL)}${HAVE ? '' : ' (SKIPPED: model file absent)'}`, () => {
  let llama: LlamaCppProvider;
  beforeAll(async () => {
    llama = await LlamaCppProvider.load({ name: 'stories260K.gguf', kind: 'llama-cpp', file: MODEL, threads: 2 });
  });
  afterAll(async () => {
    await llama?.dispose();
  });

  it('loads the file with 2 threads and names it by its sha256', () => {
    const d = llama.describe();
    expect(d.sha256).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');
    expect(llama.id).toBe('llama-cpp:stories260K.gguf@270cba1bd510');
    expect(d.contextSize).toBe(2048);
    expect(d.settings).toMatchObject({ threads: 2, gpu: false });
    expect(typeof d.settings!.chatTemplate).toBe('string');
  });

  it('streams tokens', async () => {
    const tokens: string[] = [];
    const r = await llama.generate([{ role: 'user', content: 'Once upon a time' }], { maxTokens: 12, temperature: 0, signal: AbortSignal.timeout(20_000), onToken: (t) => tokens.push(t) });
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(r.text);
  });

  it('produces grammar-constrained JSON that parses against the answer and step schemas', async () => {
    const answer = z.object({ sentences: z.array(z.object({ text: z.string(), chunkIds: z.array(z.enum(['c1', 'c2'])).min(1) })) }).strict();
    const r = await llama.generate([{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content: 'Where is the ship?' }], { schema: answerSchema(['c1', 'c2']), maxTokens: 400, temperature: 0, signal: AbortSignal.timeout(30_000) });
    expect(answer.safeParse(JSON.parse(r.text)).success).toBe(true);
    // Force it to write sentences: the checker must reject its nonsense (or quote exactly what it supports).
    const forced = answerSchema(['c1']) as { properties: { sentences: Record<string, unknown> } };
    forced.properties.sentences = { ...forced.properties.sentences, minItems: 1, maxItems: 2 };
    const nonsense = await llama.generate([{ role: 'user', content: 'Once upon a time' }], { schema: forced, maxTokens: 400, temperature: 0, signal: AbortSignal.timeout(30_000) });
    const proposal = answer.parse(JSON.parse(nonsense.text));
    expect(proposal.sentences.length).toBeGreaterThan(0);
    const verdict = checkAnswer(proposal.sentences, (ref) => (ref === 'c1' ? harbour.chunks[0] : undefined));
    for (const s of verdict.sentences) {
      if (s.supported) for (const c of s.citations) expect(harbour.text.slice(c.start, c.end)).toBe(c.quote);
      else expect(s.citations).toEqual([]);
    }
    const tools = [{ name: 'list_sources', description: 'list', parameters: { type: 'object', properties: {} } }];
    const step = await llama.generate([{ role: 'user', content: 'Tell me a story.' }], { schema: stepSchema(tools, ['c1']), maxTokens: 400, temperature: 0.8, seed: 7, signal: AbortSignal.timeout(30_000) });
    const parsed = JSON.parse(step.text) as Record<string, unknown>;
    expect(parsed.tool === 'list_sources' || answer.safeParse(parsed).success).toBe(true);
  });

  it('runs the agent: its nonsense is flagged or removed, never shown as cited', async () => {
    const tokens: string[] = [];
    const a = await answerQuestion(Q, { provider: llama, deps: scriptedDeps({ [Q]: [harbour.chunks[0]!] }), maxTokens: 200, maxSteps: 2, onEvent: (e) => e.type === 'token' && tokens.push(e.text) });
    expect(tokens.length).toBeGreaterThan(0);
    expect(a.steps.length).toBeGreaterThan(0);
    expect(a.timings.firstTokenMs).not.toBeNull();
    expect(['answered', 'fallback']).toContain(a.status);
    // Whatever it wrote, only supported sentences with real citations reach the user.
    for (const s of a.sentences) {
      expect(s.supported).toBe(true);
      expect(s.citations.length).toBeGreaterThan(0);
    }
    if (a.check) expect(a.check.sentences.filter((s) => !s.supported).every((s) => s.citations.length === 0)).toBe(true);
    if (a.status === 'fallback') expect(a.note).toBeTruthy();
    expect(a.model.description.sha256).toBe(llama.sha256);
  });

  it('refuses a prompt beyond its context and falls back with a note', async () => {
    const huge = { ...harbour.chunks[0]!, text: 'The Blue Heron arrived at Port Sarn on 12 March. '.repeat(400) };
    const a = await answerQuestion(Q, { provider: llama, deps: scriptedDeps({ [Q]: [huge] }), maxPassageChars: 100_000 });
    expect(a.status).toBe('fallback');
    expect(a.note).toMatch(/overflow/);
  });

  it('computes an embedding vector from the same weights', async () => {
    const [v] = await llama.embed(['The tanker arrived at dawn.']);
    expect(v!.length).toBe(64);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 4);
  });
});
