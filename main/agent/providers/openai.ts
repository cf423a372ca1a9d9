/**
 * An OpenAI-compatible chat endpoint (vLLM, llama.cpp server, LocalAI, a
 * gateway on the secure LAN): POST {baseUrl}/chat/completions, streamed.
 * Structured output through `response_format` (JSON schema by default);
 * native tool calls optional. Talks only to the configured URL.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ModelFailure } from '../errors.js';
import type { ChatMessage, ChatProvider, GenerateOptions, GenerateResult, JsonSchema, ProviderDescription, ToolCallRequest } from '../types.js';
import { endpointUrl, parseJsonOr, postJson, sseData } from './http.js';
import { nativeToolCallIds, toolResultText } from './messages.js';

export const openAiSettingsSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('openai'),
  baseUrl: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  /** Name of an environment variable holding the key (keeps it out of the file). */
  apiKeyEnv: z.string().optional(),
  /** json_schema (default), json_object, or none (prompt only). */
  structuredOutput: z.enum(['json_schema', 'json_object', 'none']).default('json_schema'),
  /** Offer tools natively (`tools`) instead of in the JSON protocol. */
  nativeTools: z.boolean().default(false),
  contextSize: z.number().int().positive().optional(),
  description: z.string().optional(),
});

export type OpenAiSettings = z.infer<typeof openAiSettingsSchema>;

interface WireToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

function argsFrom(text: string | undefined, name: string): Record<string, unknown> {
  if (!text || text.trim() === '') return {};
  const v = parseJsonOr(text, `the arguments of tool call ${name}`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ModelFailure('malformed', `the arguments of tool call ${name} are not an object`);
  return v as Record<string, unknown>;
}

/**
 * OpenAI's structured outputs want an object at the root; a union (tool call
 * or answer) is wrapped as {"reply": ...}, which the agent's parser unwraps.
 */
export function objectRoot(schema: JsonSchema): JsonSchema {
  return schema.type === 'object' ? schema : { type: 'object', properties: { reply: schema }, required: ['reply'], additionalProperties: false };
}

export class OpenAiProvider implements ChatProvider {
  readonly mode = 'chat' as const;
  readonly id: string;
  private readonly url: string;

  constructor(private readonly s: OpenAiSettings) {
    this.url = endpointUrl(s.baseUrl, '/chat/completions');
    this.id = `openai:${s.model}@${new URL(s.baseUrl).host}`;
  }

  describe(): ProviderDescription {
    return {
      name: this.s.name,
      kind: 'openai',
      id: this.id,
      model: this.s.model,
      endpoint: this.s.baseUrl,
      ...(this.s.contextSize ? { contextSize: this.s.contextSize } : {}),
      settings: { structuredOutput: this.s.structuredOutput, nativeTools: this.s.nativeTools },
    };
  }

  private wireMessages(messages: readonly ChatMessage[]): unknown[] {
    const native = nativeToolCallIds(messages);
    return messages.map((m) => {
      if (m.role === 'tool') return native.has(m.toolCallId) ? { role: 'tool', tool_call_id: m.toolCallId, content: m.content } : { role: 'user', content: toolResultText(m) };
      if (m.role === 'assistant' && m.toolCalls?.length) {
        return { role: 'assistant', content: m.content === '' ? null : m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) };
      }
      return { role: m.role, content: m.content };
    });
  }

  async generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult> {
    const native = this.s.nativeTools && (opts.tools?.length ?? 0) > 0;
    const body: Record<string, unknown> = {
      model: this.s.model,
      messages: this.wireMessages(messages),
      temperature: opts.temperature,
      max_tokens: opts.maxTokens,
      stream: true,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    };
    if (native) body.tools = opts.tools!.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    else if (opts.schema && this.s.structuredOutput === 'json_schema') body.response_format = { type: 'json_schema', json_schema: { name: opts.schemaName ?? 'cairn_reply', schema: objectRoot(opts.schema), strict: false } };
    else if (opts.schema && this.s.structuredOutput === 'json_object') body.response_format = { type: 'json_object' };
    const key = this.s.apiKey ?? (this.s.apiKeyEnv ? process.env[this.s.apiKeyEnv] : undefined);
    const res = await postJson(this.url, body, { signal: opts.signal, headers: key ? { authorization: `Bearer ${key}` } : {} });
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return this.whole(parseJsonOr(await res.text(), this.url), opts);
    let text = '';
    let finishReason: string | undefined;
    const calls = new Map<number, { id?: string; name: string; args: string }>();
    for await (const data of sseData(res.body)) {
      const chunk = parseJsonOr(data, this.url) as { error?: { message?: string }; choices?: { delta?: { content?: string | null; tool_calls?: WireToolCall[] }; finish_reason?: string | null }[] };
      if (chunk.error) throw new ModelFailure('http', `${this.url}: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const piece = choice.delta?.content;
      if (piece) {
        text += piece;
        opts.onToken?.(piece);
      }
      for (const tc of choice.delta?.tool_calls ?? []) {
        const i = tc.index ?? 0;
        const c = calls.get(i) ?? { name: '', args: '' };
        if (tc.id) c.id = tc.id;
        if (tc.function?.name) c.name += tc.function.name;
        if (tc.function?.arguments) c.args += tc.function.arguments;
        calls.set(i, c);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    const toolCalls: ToolCallRequest[] = [...calls.entries()].sort(([a], [b]) => a - b).map(([i, c]) => ({ id: c.id ?? `call_${i}_${randomUUID().slice(0, 8)}`, name: c.name, args: argsFrom(c.args, c.name) }));
    return { text, toolCalls, ...(finishReason ? { finishReason } : {}) };
  }

  /** A server that ignored `stream: true` and sent one JSON body. */
  private whole(json: unknown, opts: GenerateOptions): GenerateResult {
    const r = json as { choices?: { message?: { content?: string | null; tool_calls?: WireToolCall[] }; finish_reason?: string }[] };
    const choice = r.choices?.[0];
    if (!choice?.message) throw new ModelFailure('malformed', `${this.url} sent no choices`);
    const text = choice.message.content ?? '';
    if (text) opts.onToken?.(text);
    const toolCalls = (choice.message.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `call_${i}_${randomUUID().slice(0, 8)}`, name: c.function?.name ?? '', args: argsFrom(c.function?.arguments, c.function?.name ?? '') }));
    return { text, toolCalls, ...(choice.finish_reason ? { finishReason: choice.finish_reason } : {}) };
  }
}
