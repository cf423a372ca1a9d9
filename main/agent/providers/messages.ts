/**
 * Mapping the agent's messages to what a provider without native tool calls
 * understands: tool results become user turns that say which call they
 * answer. Shared by every provider.
 */
import type { ChatMessage } from '../types.js';

export function toolResultText(m: Extract<ChatMessage, { role: 'tool' }>): string {
  return `Tool result for ${m.name} (${m.toolCallId}):\n${m.content}`;
}

/** Ids of tool calls the provider itself issued natively (answered with role "tool"). */
export function nativeToolCallIds(messages: readonly ChatMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls ?? []) ids.add(c.id);
  return ids;
}

/** Plain role/content turns, tool results folded into user turns and consecutive user turns merged. */
export function plainTurns(messages: readonly ChatMessage[]): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  const out: { role: 'system' | 'user' | 'assistant'; content: string }[] = [];
  for (const m of messages) {
    const role = m.role === 'tool' ? 'user' : m.role;
    const content = m.role === 'tool' ? toolResultText(m) : m.role === 'assistant' && m.content === '' && m.toolCalls ? JSON.stringify({ tool_calls: m.toolCalls.map((c) => ({ name: c.name, args: c.args })) }) : m.content;
    const prev = out[out.length - 1];
    if (prev && prev.role === 'user' && role === 'user') prev.content = `${prev.content}\n\n${content}`;
    else out.push({ role, content });
  }
  return out;
}
