import type { AuditLog } from '../audit/log.js';
import { CairnError } from '../core/errors.js';

/** What feedback needs to know about an answer, read back from its `ask` audit record. */
export interface AnsweredQuestion {
  answerId: string;
  question: string;
  answer: string;
  banner: string;
  /** Provider id (extractive, a GGUF file + hash, an endpoint + model). */
  model: string;
  /** Who asked. */
  user: string;
  citedSourceIds: string[];
  citedChunkIds: string[];
  /** Each cited passage with its source. */
  cited: { chunkId: string; sourceId: string }[];
  /** The answer said nothing relevant was found (no citations). */
  noEvidence: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

function modelOf(m: unknown): string {
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object' && 'id' in m) return String((m as { id: unknown }).id);
  return 'unknown';
}

/** Parses an `ask` record's payload; null when it is not one. */
export function answerFromRecord(hash: string, action: string, payload: unknown): AnsweredQuestion | null {
  if (action !== 'ask' || !payload || typeof payload !== 'object') return null;
  const p = payload as { question?: unknown; answer?: unknown; banner?: unknown; model?: unknown; user?: unknown; citations?: unknown };
  const citations = Array.isArray(p.citations) ? (p.citations as { sourceId?: unknown; chunkId?: unknown }[]) : [];
  return {
    answerId: hash,
    question: String(p.question ?? ''),
    answer: String(p.answer ?? ''),
    banner: String(p.banner ?? ''),
    model: modelOf(p.model),
    user: String(p.user ?? ''),
    citedSourceIds: [...new Set(citations.map((c) => String(c.sourceId ?? '')).filter((x) => x !== ''))],
    citedChunkIds: [...new Set(citations.map((c) => String(c.chunkId ?? '')).filter((x) => x !== ''))],
    cited: [...new Map(citations.map((c) => [String(c.chunkId ?? ''), { chunkId: String(c.chunkId ?? ''), sourceId: String(c.sourceId ?? '') }])).values()],
    noEvidence: citations.length === 0,
  };
}

/** Finds answers by audit id in one pass over the log; a missing id is NOT_FOUND. */
export async function findAnswers(audit: AuditLog, ids: readonly string[]): Promise<Map<string, AnsweredQuestion>> {
  for (const id of ids) if (!HEX64.test(id)) throw new CairnError('BAD_INPUT', `not an answer id (the 64-hex auditId an answer carries): ${JSON.stringify(id)}`, { input: id });
  const wanted = new Set(ids);
  const out = new Map<string, AnsweredQuestion>();
  for await (const r of audit.records()) {
    if (!wanted.has(r.hash)) continue;
    const a = answerFromRecord(r.hash, r.action, r.payload);
    if (a) out.set(r.hash, a);
    if (out.size === wanted.size) break;
  }
  for (const id of ids) if (!out.has(id)) throw new CairnError('NOT_FOUND', `no answer with id ${id} in the audit log`, { input: id });
  return out;
}
