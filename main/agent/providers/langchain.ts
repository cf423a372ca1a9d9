/**
 * Any LangChain chat model behind the provider interface: LangChain's fake
 * chat models in tests, or an integration an installation adds. Tool results
 * go back as ToolMessages when the model called tools natively, as human
 * turns otherwise.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatMessage, ChatProvider, GenerateOptions, GenerateResult, ProviderDescription } from '../types.js';
import { nativeToolCallIds, toolResultText } from './messages.js';

export interface LangChainProviderOptions {
  name?: string;
  /** Stable id for the audit (the model and its version). */
  id?: string;
  /** Bind the agent's tools natively (`bindTools`) when the model supports it. */
  nativeTools?: boolean;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return '';
}

export class LangChainProvider implements ChatProvider {
  readonly mode = 'chat' as const;
  readonly id: string;

  constructor(
    private readonly model: BaseChatModel,
    private readonly opts: LangChainProviderOptions = {},
  ) {
    this.id = opts.id ?? `langchain:${model._llmType()}`;
  }

  describe(): ProviderDescription {
    return { name: this.opts.name ?? this.model._llmType(), kind: 'langchain', id: this.id, model: this.model._llmType(), settings: { nativeTools: this.opts.nativeTools ?? false } };
  }

  private toLangChain(messages: readonly ChatMessage[]): BaseMessage[] {
    const native = nativeToolCallIds(messages);
    return messages.map((m) => {
      if (m.role === 'system') return new SystemMessage(m.content);
      if (m.role === 'user') return new HumanMessage(m.content);
      if (m.role === 'tool') return native.has(m.toolCallId) ? new ToolMessage({ content: m.content, tool_call_id: m.toolCallId, name: m.name }) : new HumanMessage(toolResultText(m));
      return new AIMessage({ content: m.content, ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, name: c.name, args: c.args, type: 'tool_call' as const })) } : {}) });
    });
  }

  async generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult> {
    const bindable = this.opts.nativeTools && opts.tools?.length && typeof this.model.bindTools === 'function';
    const runnable = bindable ? this.model.bindTools!(opts.tools!.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } }))) : this.model;
    let text = '';
    let final: AIMessageChunk | undefined;
    const stream = await runnable.stream(this.toLangChain(messages), { signal: opts.signal });
    for await (const chunk of stream) {
      const piece = textOf(chunk.content);
      if (piece) {
        text += piece;
        opts.onToken?.(piece);
      }
      final = final ? final.concat(chunk) : chunk;
    }
    const toolCalls = (final?.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `lc-${i}`, name: c.name, args: c.args }));
    return { text, toolCalls };
  }
}
