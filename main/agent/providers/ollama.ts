/**
 * Ollama's own chat API: POST {baseUrl}/api/chat, streamed as newline-
 * delimited JSON. Structured output through `format` (a JSON schema);
 * native tool calls optional. Talks only to the configured URL.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ModelFailure } from '../errors.js';
import type { ChatMessage, ChatProvider, GenerateOptions, GenerateResult, ProviderDescription, ToolCallRequest } from '../types.js';
import { endpointUrl, lines, parseJsonOr, postJson } from './http.js';
import { nativeToolCallIds, toolResultText } from './messages.js';

export const ollamaSettingsSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('ollama'),
  baseUrl: z.string().url().default('http://127.0.0.1:11434'),
  model: z.string().min(1),
  /** json_schema (default: `format` is the schema), json (`format: "json"`), or none. */
  structuredOutput: z.enum(['json_schema', 'json', 'none']).default('json_schema'),
  nativeTools: z.boolean().default(false),
  /** Ollama's num_ctx. */
  contextSize: z.number().int().positive().optional(),
  description: z.string().optional(),
});

export type OllamaSettings = z.infer<typeof ollamaSettingsSchema>;

interface OllamaLine {
  error?: string;
  message?: { content?: string; tool_calls?: { function?: { name?: string; arguments?: unknown } }[] };
  done?: boolean;
  done_reason?: string;
}

export class OllamaProvider implements ChatProvider {
  readonly mode = 'chat' as const;
  readonly id: string;
  private readonly url: string;

  constructor(private readonly s: OllamaSettings) {
    this.url = endpointUrl(s.baseUrl, '/api/chat');
    this.id = `ollama:${s.model}@${new URL(s.baseUrl).host}`;
  }

  describe(): ProviderDescription {
    return {
      name: this.s.name,
      kind: 'ollama',
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
      if (m.role === 'tool') return native.has(m.toolCallId) ? { role: 'tool', content: m.content, tool_name: m.name } : { role: 'user', content: toolResultText(m) };
      if (m.role === 'assistant' && m.toolCalls?.length) return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.args } })) };
      return { role: m.role, content: m.content };
    });
  }

  async generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult> {
    const native = this.s.nativeTools && (opts.tools?.length ?? 0) > 0;
    const options: Record<string, unknown> = { temperature: opts.temperature, num_predict: opts.maxTokens };
    if (opts.seed !== undefined) options.seed = opts.seed;
    if (this.s.contextSize) options.num_ctx = this.s.contextSize;
    const body: Record<string, unknown> = { model: this.s.model, messages: this.wireMessages(messages), stream: true, options };
    if (native) body.tools = opts.tools!.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
    else if (opts.schema && this.s.structuredOutput === 'json_schema') body.format = opts.schema;
    else if (opts.schema && this.s.structuredOutput === 'json') body.format = 'json';
    const res = await postJson(this.url, body, { signal: opts.signal });
    let text = '';
    let finishReason: string | undefined;
    const toolCalls: ToolCallRequest[] = [];
    for await (const line of lines(res.body)) {
      if (line.trim() === '') continue;
      const o = parseJsonOr(line, this.url) as OllamaLine;
      if (o.error) throw new ModelFailure('http', `${this.url}: ${o.error}`);
      const piece = o.message?.content;
      if (piece) {
        text += piece;
        opts.onToken?.(piece);
      }
      for (const c of o.message?.tool_calls ?? []) {
        const name = c.function?.name ?? '';
        const raw = c.function?.arguments;
        const args = typeof raw === 'string' ? parseJsonOr(raw, `the arguments of tool call ${name}`) : (raw ?? {});
        if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ModelFailure('malformed', `the arguments of tool call ${name} are not an object`);
        toolCalls.push({ id: `call_${randomUUID().slice(0, 8)}`, name, args: args as Record<string, unknown> });
      }
      if (o.done) finishReason = o.done_reason ?? 'stop';
    }
    return { text, toolCalls, ...(finishReason ? { finishReason } : {}) };
  }
}
