/**
 * One audit record: its shape, how its hash is computed, and how it is
 * written to and read from a single line of `log.jsonl`.
 *
 * Identity: a record's `auditId` is its full `hash` (64 hex chars). The hash
 * already commits to seq, time, actor, action, payload and the whole chain
 * before it, so it is both unique and self-verifying; `seq` alone is not (a
 * tampered log can reuse a seq). `shortHash` is for human display only.
 */
import { sha256Hex } from '../core/hash.js';
import { canonicalJson } from './canonical.js';

/** prevHash of record 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  /** 1, 2, 3, ... with no gaps: a gap means a deleted record. */
  seq: number;
  /** ISO 8601 UTC time of the append. */
  ts: string;
  /** Who acted (the OS or Cairn user name). */
  actor: string;
  /** What was done: 'ask', 'ingest', 'ingest.failed', ... */
  action: string;
  /** Caller-defined JSON value; see payloads.ts for the shapes Cairn writes. */
  payload: unknown;
  /** `hash` of the previous record, GENESIS_HASH for seq 1. */
  prevHash: string;
  /** sha256 hex of canonicalJson(record without `hash`). Also the record's auditId. */
  hash: string;
}

export type UnsealedRecord = Omit<AuditRecord, 'hash'>;

const HEX64 = /^[0-9a-f]{64}$/;
const RECORD_KEYS = ['action', 'actor', 'hash', 'payload', 'prevHash', 'seq', 'ts'];

export function hashRecord(r: UnsealedRecord): string {
  // Hash every field except `hash` itself; parseRecordLine rejects extra keys,
  // so nothing on disk can escape the hash.
  return sha256Hex(canonicalJson({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, payload: r.payload, prevHash: r.prevHash }));
}

/**
 * Builds a sealed record. The payload is round-tripped through canonical JSON
 * first so the returned record equals what a later read() gives back (no
 * undefined members, toJSON applied) and bad values fail before any I/O.
 */
export function sealRecord(r: UnsealedRecord): AuditRecord {
  const payload: unknown = r.payload === undefined ? null : JSON.parse(canonicalJson(r.payload));
  const unsealed = { seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, payload, prevHash: r.prevHash };
  return { ...unsealed, hash: hashRecord(unsealed) };
}

/**
 * The line as stored, without its newline. Field order is fixed with `seq`
 * first so a human (and peekSeq, on a damaged line) can read it; the hash does
 * not depend on this order.
 */
export function serializeRecord(r: AuditRecord): string {
  return JSON.stringify({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, payload: r.payload, prevHash: r.prevHash, hash: r.hash });
}

export type ParsedLine = { ok: true; record: AuditRecord } | { ok: false; error: string; seq?: number };

/** Parses and shape-checks one line. Does not check the hash or the chain. */
export function parseRecordLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return withSeq(text, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return withSeq(text, 'not a JSON object');
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.join(',') !== RECORD_KEYS.join(',')) {
    return withSeq(text, `fields are {${keys.join(', ')}}, expected {${RECORD_KEYS.join(', ')}}`);
  }
  const { seq, ts, actor, action, prevHash, hash } = o;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return withSeq(text, 'seq is not a positive integer');
  if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) return { ok: false, error: 'ts is not an ISO 8601 time', seq };
  if (typeof actor !== 'string') return { ok: false, error: 'actor is not a string', seq };
  if (typeof action !== 'string' || action === '') return { ok: false, error: 'action is not a non-empty string', seq };
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) return { ok: false, error: 'prevHash is not 64 lowercase hex digits', seq };
  if (typeof hash !== 'string' || !HEX64.test(hash)) return { ok: false, error: 'hash is not 64 lowercase hex digits', seq };
  return { ok: true, record: { seq, ts, actor, action, payload: o.payload, prevHash, hash } };
}

/** Best-effort seq of a damaged line, so a report can name it. */
export function peekSeq(text: string): number | undefined {
  const m = /^\s*\{\s*"seq"\s*:\s*(\d{1,15})\s*[,}]/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function withSeq(text: string, error: string): ParsedLine {
  const seq = peekSeq(text);
  return seq === undefined ? { ok: false, error } : { ok: false, error, seq };
}

/** First 12 hex digits: enough to tell records apart on screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
