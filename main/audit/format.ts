/**
 * Human one-line summaries for `cairn audit show`. Payloads are caller-defined
 * (payloads.ts), so the description looks for the fields Cairn's own callers
 * write and falls back to a few scalar fields for anything else.
 */
import { type AuditRecord, shortHash } from './record.js';

const MAX_TEXT = 72;

/** `#12 2025-05-01T09:30:00.000Z alice ask 3fa9c1e0b2d4 "Which vessel..." -> 3 citations [SECRET]` */
export function formatAuditRecord(r: AuditRecord): string {
  const description = describePayload(r.payload);
  return [`#${r.seq}`, r.ts, oneLine(r.actor) || '-', oneLine(r.action), shortHash(r.hash), description].filter((s) => s !== '').join('  ');
}

/** A short description of a payload: the question, the file, or a few fields. */
export function describePayload(payload: unknown): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload === null || payload === undefined ? '' : clip(JSON.stringify(payload));
  const p = payload as Record<string, unknown>;
  // A signed checkpoint (checkpoint.ts): what it signs and with which key.
  if (typeof p.signature === 'string' && typeof p.headHash === 'string' && typeof p.keyId === 'string') {
    return `signs seq ${String(p.seq)} head ${shortHash(p.headHash)} with key ${shortHash(p.keyId)}${typeof p.reason === 'string' ? ` (${oneLine(p.reason)})` : ''}`;
  }
  if (typeof p.question === 'string') {
    const parts = [quote(p.question)];
    if (Array.isArray(p.citations)) parts.push(`-> ${p.citations.length} citation${p.citations.length === 1 ? '' : 's'}`);
    if (typeof p.banner === 'string' && p.banner !== '') parts.push(`[${oneLine(p.banner)}]`);
    return parts.join(' ');
  }
  if (typeof p.file === 'string') {
    const parts = [clip(p.file)];
    if (typeof p.status === 'string') parts.push(p.status);
    if (typeof p.chunks === 'number') parts.push(`${p.chunks} chunks`);
    if (typeof p.marking === 'string' && p.marking !== '') parts.push(`[${oneLine(p.marking)}]`);
    const err = p.error as { message?: unknown } | undefined;
    if (err && typeof err.message === 'string') parts.push(`: ${clip(err.message)}`);
    return parts.join(' ');
  }
  // Unknown action: the first few scalar fields are usually what identifies it.
  const scalars = Object.entries(p)
    .filter(([, v]) => v !== null && ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 3)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? quote(v, 32) : String(v)}`);
  return scalars.join(' ');
}

function oneLine(s: string): string {
  // Control characters would let a payload forge extra "records" on screen.
   
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

function clip(s: string, max = MAX_TEXT): string {
  const t = oneLine(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function quote(s: string, max = MAX_TEXT): string {
  return `"${clip(s, max)}"`;
}
