/**
 * Retrieved text is data. These helpers keep it that way: data blocks carry
 * a per-conversation nonce and source text cannot forge their delimiters,
 * and a model sentence that reads like an instruction to an AI (the usual
 * shape of an injected prompt) is never shown as a cited claim.
 */
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Makes untrusted text safe to place inside a data block: the delimiter
 * brackets and the nonce cannot appear in it, control characters go.
 */
export function neutralise(text: string, nonce: string): string {
  let t = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
  t = t.replace(/<{3,}/g, '‹‹').replace(/>{3,}/g, '››');
  if (nonce) t = t.split(nonce).join('[nonce removed]');
  return t;
}

/** A one-line attribute value (titles, ids) inside a delimiter line. */
export function attribute(text: string, nonce: string): string {
  return neutralise(text, nonce).replace(/[\r\n"]+/g, ' ').slice(0, 200);
}

const DIRECTIVES: RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,40}\b(?:instructions?|prompts?|rules?|guidelines?|directives?|polic(?:y|ies))\b/i,
  /\b(?:system|developer|hidden)\s+(?:prompt|message|instructions?)\b/i,
  /\byou\s+(?:are|must|will|should)\s+now\b/i,
  /\b(?:new|updated)\s+instructions?\s*:/i,
  /\bas an (?:ai|llm|assistant|language model)\b/i,
  /\b(?:call|invoke|run|use)\s+(?:the\s+)?(?:tool|function)\s+[`"']?[a-z_]+/i,
];

/** True when a sentence reads like an instruction aimed at the assistant. */
export function looksLikeInstruction(text: string): boolean {
  return DIRECTIVES.some((re) => re.test(text));
}
