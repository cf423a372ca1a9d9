/**
 * Retrieved text is data. These helpers keep it that way: data blocks carry
 * a per-conversation nonce and source text cannot forge their delimiters,
 * and a sentence that relays an instruction (the usual shape of an injected
 * prompt) is never shown as a cited claim nor used as evidence for one.
 */
import { randomBytes } from 'node:crypto';
import { relayedInstruction } from './relay.js';

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

/**
 * True when a sentence reads like an instruction aimed at the assistant or
 * the reader rather than a finding: see relay.ts for the rules and
 * test/agent/relay.test.ts for how well they separate the two.
 */
export function looksLikeInstruction(text: string): boolean {
  return relayedInstruction(text) !== null;
}
