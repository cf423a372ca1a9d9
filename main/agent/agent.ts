/**
 * The analyst's agent: a tool-using loop over read-only tools that ends in a
 * structured answer, checked sentence by sentence against the passages it
 * cites. Provider-independent: any `ChatProvider` (llama.cpp, OpenAI-
 * compatible, Ollama, a LangChain chat model) or the extractive composer.
 * Model failures never reach the user: they become the extractive answer
 * with a note.
 */
import type { StructuredToolInterface } from '@langchain/core/tools';
import { ToolInputParsingException } from '@langchain/core/tools';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import { buildAnswer } from './answer.js';
import { CHECK_DEFAULTS, type CheckOptions, checkAnswer, type ProposedSentence } from './citation-check.js';
import { Conversation } from './conversation.js';
import { ModelFailure, toModelFailure } from './errors.js';
import { composeExtractive, EXTRACTIVE_DEFAULTS } from './extractive.js';
import { newNonce } from './injection.js';
import { answerSchema, formatPassages, parseStep, stepSchema, systemPrompt } from './protocol.js';
import { RunState } from './run-state.js';
import { type AgentDeps, type AgentTool, buildTools, type ToolArtifact, toolSpec } from './tools.js';
import type { AgentAnswer, AgentEvent, AgentSentence, AnswerProvider, ChatMessage, ChatProvider, ToolSpec } from './types.js';

export interface AnswerOptions {
  provider: AnswerProvider;
  deps: AgentDeps;
  /** Pass the same conversation for follow-up questions; a new one otherwise. */
  conversation?: Conversation;
  /** What the agent's own first search looks for (a follow-up's expanded query); the question otherwise. */
  seedQuery?: string;
  signal?: AbortSignal;
  onEvent?: (e: AgentEvent) => void;
  /** Model calls per question (the last one must answer). */
  maxSteps?: number;
  /** Tokens per model call. */
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  /** Per model call. */
  timeoutMs?: number;
  /** Passages the agent retrieves for the question before the model's first step. */
  retrievalK?: number;
  /** Characters of each passage shown to the model. */
  maxPassageChars?: number;
  /** Show unsupported sentences, visibly marked, instead of removing them. */
  keepUnsupported?: boolean;
  check?: CheckOptions;
}

export const AGENT_DEFAULTS = { maxSteps: 4, maxTokens: 1024, temperature: 0, seed: 0, timeoutMs: 120_000, retrievalK: 8, maxPassageChars: 2000, toolCallsPerStep: 4, historyTurns: 3 } as const;

type Settings = Required<Omit<AnswerOptions, 'provider' | 'deps' | 'conversation' | 'seedQuery' | 'signal' | 'onEvent' | 'check'>> & { minCoverage: number };

function settingsOf(o: AnswerOptions): Settings {
  return {
    maxSteps: Math.max(1, o.maxSteps ?? AGENT_DEFAULTS.maxSteps),
    maxTokens: o.maxTokens ?? AGENT_DEFAULTS.maxTokens,
    temperature: o.temperature ?? AGENT_DEFAULTS.temperature,
    seed: o.seed ?? AGENT_DEFAULTS.seed,
    timeoutMs: o.timeoutMs ?? AGENT_DEFAULTS.timeoutMs,
    retrievalK: o.retrievalK ?? AGENT_DEFAULTS.retrievalK,
    maxPassageChars: o.maxPassageChars ?? AGENT_DEFAULTS.maxPassageChars,
    keepUnsupported: o.keepUnsupported ?? false,
    minCoverage: o.check?.minCoverage ?? CHECK_DEFAULTS.minCoverage,
  };
}

/** Resolves when the signal aborts, so a provider that ignores signals still cannot hold the answer hostage. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

class Turn {
  readonly run: RunState;
  readonly settings: Settings;
  readonly nonce = newNonce();
  readonly tools: AgentTool[];
  readonly specs: ToolSpec[];
  private readonly byName: Map<string, AgentTool>;

  constructor(
    readonly question: string,
    readonly opts: AnswerOptions,
    readonly conversation: Conversation,
  ) {
    this.run = new RunState(opts.onEvent);
    this.settings = settingsOf(opts);
    this.tools = buildTools(opts.deps, { conversation, nonce: this.nonce, maxPassageChars: this.settings.maxPassageChars });
    this.specs = this.tools.map(toolSpec);
    this.byName = new Map(this.tools.map((t) => [t.name, t]));
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  /** Runs a whitelisted tool; refusals and errors become the tool's result text, never an exception. */
  async callTool(name: string, args: Record<string, unknown>, by: 'agent' | 'model', id?: string): Promise<{ callId: string; content: string }> {
    const callId = id ?? this.run.nextCallId();
    const started = performance.now();
    this.run.emit({ type: 'tool_start', callId, tool: name, args, by });
    const t = this.byName.get(name);
    let content: string;
    let chunks: ToolArtifact['chunks'] = [];
    let error: string | undefined;
    if (!t) {
      error = `unknown tool ${JSON.stringify(name)}`;
      content = `Error: there is no tool named ${JSON.stringify(name)}. Available tools: ${[...this.byName.keys()].join(', ')}.`;
    } else {
      try {
        const msg = (await (t as unknown as StructuredToolInterface).invoke({ type: 'tool_call', id: callId, name, args }, { signal: this.signal })) as { content: unknown; artifact?: ToolArtifact };
        content = typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content);
        chunks = msg.artifact?.chunks ?? [];
      } catch (e) {
        if (this.signal?.aborted) throw e;
        error = e instanceof ToolInputParsingException ? `invalid arguments: ${(e.message.split('\n').slice(1).join(' ') || e.message).trim()}` : (e as Error).message;
        content = `Error from ${name}: ${error}`;
      }
    }
    this.run.addChunks(chunks);
    const ms = Math.round(performance.now() - started);
    const chunkIds = chunks.map((c) => c.id);
    this.run.toolCalls.push({ callId, tool: name, args, by, chunkIds, contentHashes: chunks.map((c) => sha256Hex(c.text)), ms, ...(error ? { error } : {}) });
    this.run.emit({ type: 'tool_end', callId, tool: name, chunkIds, ms, ...(error ? { error } : {}) });
    return { callId, content };
  }

  parameters(provider: AnswerProvider): Record<string, unknown> {
    if (provider.mode === 'compose') return { ...EXTRACTIVE_DEFAULTS, retrievalK: this.settings.retrievalK };
    const { keepUnsupported: _k, ...rest } = this.settings;
    return rest;
  }

  /** Earlier turns, compactly: the questions and the answers with their refs. */
  history(): ChatMessage[] {
    return this.conversation.turns.slice(-AGENT_DEFAULTS.historyTurns).flatMap((t): ChatMessage[] => [
      { role: 'user', content: `Question: ${t.question}` },
      { role: 'assistant', content: JSON.stringify({ sentences: t.sentences.map((s) => ({ text: s.text, chunkIds: s.refs })) }) },
    ]);
  }

  questionPrompt(): string {
    const last = this.conversation.turns[this.conversation.turns.length - 1];
    const cited = [...new Set(last?.sentences.flatMap((s) => s.refs) ?? [])]
      .slice(0, 4)
      .map((ref) => ({ ref, chunk: this.conversation.resolve(ref) }))
      .filter((p): p is { ref: string; chunk: NonNullable<typeof p.chunk> } => p.chunk !== undefined);
    const earlier = cited.length > 0 ? `\n\nPassages cited earlier in this conversation:\n${formatPassages(cited, this.nonce, this.settings.maxPassageChars)}` : '';
    return `Question: ${this.question}${earlier}`;
  }
}

async function modelStep(turn: Turn, provider: ChatProvider, messages: ChatMessage[], step: number, last: boolean): Promise<{ text: string; toolCalls: { id: string; name: string; args: Record<string, unknown> }[] }> {
  const { run, settings } = turn;
  const schema = last ? answerSchema(turn.conversation.refs) : stepSchema(turn.specs, turn.conversation.refs);
  run.prompts.push({ messages: structuredClone(messages), schema });
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = turn.signal ? AbortSignal.any([turn.signal, timeout]) : timeout;
  const started = performance.now();
  let firstTokenMs: number | null = null;
  const r = await raceAbort(
    provider.generate(messages, {
      schema,
      schemaName: last ? 'cairn_answer' : 'cairn_step',
      ...(last ? {} : { tools: turn.specs }),
      signal,
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      seed: settings.seed,
      onToken: (text) => {
        if (firstTokenMs === null) firstTokenMs = Math.round(performance.now() - started);
        run.markFirstToken();
        run.emit({ type: 'token', text, step });
      },
    }),
    signal,
  );
  run.rawOutputs.push(JSON.stringify({ text: r.text, toolCalls: r.toolCalls }));
  run.steps.push({ step, promptHash: sha256Hex(JSON.stringify(run.prompts[run.prompts.length - 1])), rawOutputHash: sha256Hex(r.text), ms: Math.round(performance.now() - started), firstTokenMs, outcome: 'pending' });
  return r;
}

/** The model's loop: tool calls until it answers (or the step budget forces an answer). */
async function runModel(turn: Turn, provider: ChatProvider, seed: { callId: string; content: string; args: Record<string, unknown> }): Promise<ProposedSentence[]> {
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(turn.specs, turn.nonce) },
    ...turn.history(),
    { role: 'user', content: turn.questionPrompt() },
    { role: 'assistant', content: JSON.stringify({ tool: 'search_documents', args: seed.args }) },
    { role: 'tool', toolCallId: seed.callId, name: 'search_documents', content: seed.content },
  ];
  const { maxSteps } = turn.settings;
  for (let step = 1; step <= maxSteps; step++) {
    const last = step === maxSteps;
    if (last && step > 1) messages.push({ role: 'user', content: 'No more tool calls: answer now from the passages above, as {"sentences": [...]}.' });
    const r = await modelStep(turn, provider, messages, step, last);
    const parsed = parseStep(r.text, r.toolCalls);
    const record = turn.run.steps[turn.run.steps.length - 1]!;
    record.outcome = parsed.kind === 'tools' ? parsed.calls.map((c) => c.name).join(',') : parsed.kind;
    if (parsed.kind === 'malformed') throw new ModelFailure('malformed', `the model's reply could not be read: ${parsed.error}`);
    if (parsed.kind === 'answer') return parsed.sentences;
    if (last) throw new ModelFailure('malformed', `the model asked for more tools after ${maxSteps} steps instead of answering`);
    messages.push({ role: 'assistant', content: r.text, ...(r.toolCalls.length > 0 ? { toolCalls: r.toolCalls } : {}) });
    for (const call of parsed.calls.slice(0, AGENT_DEFAULTS.toolCallsPerStep).map((c) => ({ ...c, id: c.id || turn.run.nextCallId() }))) {
      const result = await turn.callTool(call.name, call.args, 'model', call.id);
      messages.push({ role: 'tool', toolCallId: result.callId, name: call.name, content: result.content });
    }
  }
  throw new ModelFailure('malformed', 'the model did not answer');
}

function extractive(turn: Turn): AgentSentence[] {
  const composed = composeExtractive(turn.question, turn.run.retrievedChunks);
  return composed.sentences.map((s) => ({ text: s.text, citations: s.citations, supported: true }));
}

function finish(turn: Turn, provider: AnswerProvider, f: Omit<Parameters<typeof buildAnswer>[3], 'parameters' | 'nonce'>): AgentAnswer {
  const answer = buildAnswer(provider, turn.run, turn.conversation, { ...f, parameters: turn.parameters(provider), nonce: turn.nonce });
  if (answer.status !== 'cancelled') {
    turn.conversation.addTurn({
      question: turn.question,
      answer: answer.answer,
      sentences: answer.sentences.filter((s) => s.supported).map((s) => ({ text: s.text, refs: s.citations.map((c) => turn.conversation.refFor(c.chunkId) ?? c.chunkId) })),
      at: new Date().toISOString(),
    });
  }
  answer.sentences.forEach((sentence, index) => turn.run.emit({ type: 'sentence', index, sentence }));
  turn.run.emit({ type: 'done', answer });
  return answer;
}

function cancelled(turn: Turn, provider: AnswerProvider): AgentAnswer {
  turn.run.emit({ type: 'error', reason: 'cancelled', message: 'cancelled by the user', recovered: false });
  return finish(turn, provider, { status: 'cancelled', sentences: [], check: null, note: 'Cancelled before the answer was complete.' });
}

/**
 * Answers a question: retrieves, lets the model chain tools, checks every
 * sentence's citations, and falls back to the extractive answer (with a
 * note) whenever the model fails. Throws only for an empty question.
 */
export async function answerQuestion(question: string, opts: AnswerOptions): Promise<AgentAnswer> {
  if (question.trim() === '') throw new CairnError('BAD_INPUT', 'the question is empty: ask something', { input: question });
  const { provider } = opts;
  const turn = new Turn(question, opts, opts.conversation ?? new Conversation());
  const seedArgs = { query: opts.seedQuery ?? question, k: turn.settings.retrievalK };
  let seed: { callId: string; content: string };
  try {
    seed = await turn.callTool('search_documents', seedArgs, 'agent');
  } catch {
    return cancelled(turn, provider);
  }
  if (turn.signal?.aborted) return cancelled(turn, provider);
  if (provider.mode === 'compose') {
    turn.run.prompts.push({ composer: provider.id, question, chunkIds: turn.run.retrievedChunks.map((c) => c.id) });
    const composed = provider.compose(question, turn.run.retrievedChunks);
    return finish(turn, provider, { status: 'answered', sentences: composed.sentences.map((s) => ({ ...s, supported: true })), check: null });
  }
  const name = provider.describe().name;
  try {
    const proposed = await runModel(turn, provider, { ...seed, args: seedArgs });
    const verdict = checkAnswer(proposed, (ref) => turn.conversation.resolve(ref), { minCoverage: turn.settings.minCoverage });
    if (verdict.supported === 0) {
      const why = verdict.proposed === 0 ? `the model ${name} found no answer in the passages` : `none of the ${verdict.proposed} sentences from the model ${name} was supported by the passages it cited`;
      return finish(turn, provider, { status: 'fallback', sentences: extractive(turn), check: verdict, note: `${why}; this is the extractive answer instead.` });
    }
    const shown = verdict.sentences.filter((s) => s.supported || turn.settings.keepUnsupported).map(({ text, citations, supported, reason }): AgentSentence => ({ text, citations, supported, ...(reason ? { reason } : {}) }));
    const note =
      verdict.unsupported > 0
        ? `${verdict.unsupported} of ${verdict.proposed} sentences from the model were ${turn.settings.keepUnsupported ? 'flagged' : 'removed'}: the passages they cite do not support them.`
        : undefined;
    return finish(turn, provider, { status: 'answered', sentences: shown, check: verdict, ...(note ? { note } : {}) });
  } catch (e) {
    const failure = toModelFailure(e, turn.signal);
    if (failure.reason === 'cancelled') return cancelled(turn, provider);
    turn.run.emit({ type: 'error', reason: failure.reason, message: failure.message, recovered: true });
    return finish(turn, provider, { status: 'fallback', sentences: extractive(turn), check: null, note: `The model ${name} failed (${failure.reason}: ${failure.message}); this is the extractive answer from the retrieved passages.` });
  }
}
