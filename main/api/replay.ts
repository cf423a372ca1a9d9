/**
 * `cairn audit replay ID`: asks a recorded question again, the way the ask
 * record says it was asked (query, k, time window, composer parameters, the
 * user's clearance), against the store as it is now, and reports what
 * changed (main/audit/replay-diff.ts).
 *
 * The extractive composer is deterministic, so an unchanged store gives the
 * same passages, citations and sentences. A language model's answer is not
 * regenerated (a model need not be deterministic, or still installed): for
 * those records only retrieval is replayed, and the report says so.
 */
import { composeExtractive, EXTRACTIVE_COMPOSER } from '../agent/extractive.js';
import type { AuditRecord } from '../audit/record.js';
import { type AnswerSnapshot, diffAnswers, type ReplayDiff } from '../audit/replay-diff.js';
import { sha256Hex } from '../core/hash.js';
import type { Citation, ScoredChunk } from '../core/types.js';
import { answerFromRecord } from '../reports/answers.js';
import { ANALYSIS_VERSION } from '../search/analyse.js';

/** Retrieval as the ask's user sees the store now. */
export interface ReplayDeps {
  retrieve(query: string, k: number, filter?: { from?: string; to?: string }, ranking?: { documentWeight: number }): Promise<ScoredChunk[]>;
  /** Passages by id that the ask's user may read now, with their titles. */
  chunksById(ids: readonly string[]): Promise<ScoredChunk[]>;
  /** What the service answers when nothing relevant is found. */
  noEvidenceAnswer: string;
}

export interface ReplayReport {
  /** The ask record replayed. */
  auditId: string;
  question: string;
  /** Whose clearance the replay ran with (the recorded user). */
  user: string;
  /** 'full': retrieval and answer; 'retrieval': a model answer, retrieval only. */
  mode: 'full' | 'retrieval';
  model: { recorded: string; replayed: string | null };
  same: boolean;
  diff: ReplayDiff;
  replayed: AnswerSnapshot;
  /** Things a reviewer should know about how faithful the replay is. */
  notes: string[];
}

const DEFAULT_K = 8;

export async function replayAsk(record: AuditRecord, deps: ReplayDeps): Promise<Omit<ReplayReport, 'user'>> {
  const a = answerFromRecord(record);
  const p = a.payload as typeof a.payload & { followUpQuery?: unknown; earlierCited?: unknown; window?: unknown };
  const notes: string[] = [];
  const retrieval = p.retrieval ?? {};
  const k = typeof retrieval.k === 'number' ? retrieval.k : DEFAULT_K;
  const window = asWindow(retrieval.window ?? p.window);
  const query = typeof p.followUpQuery === 'string' ? p.followUpQuery : p.question;
  const recordedModel = p.model?.id ?? 'unknown';
  const extractive = recordedModel === EXTRACTIVE_COMPOSER.id;

  // Whole-document scores as the ask had them: none for an answer recorded before them, or while its store was backfilled.
  const evidence = (retrieval as { documentEvidence?: { weight?: unknown; used?: unknown } }).documentEvidence;
  const documentWeight = evidence?.used === true && typeof evidence.weight === 'number' ? evidence.weight : 0;
  if (!evidence) notes.push('recorded before whole-document scores joined passage ranking: replayed with passages alone, as it was ranked');
  const analysis = (retrieval as { analysis?: unknown }).analysis;
  if (typeof analysis === 'number' && analysis !== ANALYSIS_VERSION) {
    notes.push(`the full-text analysis (stemming, word splitting) is version ${ANALYSIS_VERSION} now, ${analysis} when the answer was recorded: passages may rank differently`);
  }
  const hits = await deps.retrieve(query, k, window, { documentWeight });
  const recorded: AnswerSnapshot = {
    retrieved: p.retrieved.map((r) => ({ chunkId: r.chunkId, sourceId: r.sourceId, contentHash: typeof r.contentHash === 'string' ? r.contentHash : '' })),
    citations: a.citations,
    sentences: a.sentences.map((s) => s.text),
    answer: p.answer,
  };
  let replayed: AnswerSnapshot;
  if (extractive) {
    if (p.model?.version !== undefined && p.model.version !== EXTRACTIVE_COMPOSER.version) notes.push(`the composer is version ${EXTRACTIVE_COMPOSER.version} now, ${p.model.version} when the answer was recorded`);
    // Passages cited earlier in the conversation were part of the pool the composer chose from.
    const earlierIds = Array.isArray(p.earlierCited) ? p.earlierCited.map((e) => (e as { chunkId?: unknown }).chunkId).filter((x): x is string => typeof x === 'string') : [];
    const earlier = (await deps.chunksById(earlierIds.filter((id) => !hits.some((h) => h.id === id)))).map((c) => ({ ...c, score: 0 }));
    if (typeof p.followUpQuery === 'string') notes.push('a follow-up: the earlier questions’ words the composer weighed are not recorded, so sentence choice may differ even on an unchanged store');
    const pool = [...hits, ...earlier];
    const params = p.model?.parameters ?? {};
    const composed = composeExtractive(p.question, pool, {
      maxChunks: pool.length,
      ...(typeof params.maxSentences === 'number' ? { maxSentences: params.maxSentences } : {}),
      ...(typeof params.minCoverage === 'number' ? { minCoverage: params.minCoverage } : {}),
    });
    const citations = dedupe(composed.sentences.flatMap((s) => s.citations));
    replayed = {
      retrieved: hits.map((h) => ({ chunkId: h.id, sourceId: h.sourceId, contentHash: sha256Hex(h.text) })),
      citations,
      sentences: composed.sentences.map((s) => s.text),
      answer: composed.found ? composed.sentences.map((s) => s.text).join(' ') : deps.noEvidenceAnswer,
    };
  } else {
    notes.push(`answered by the model ${recordedModel}: only retrieval was replayed (the model's words are not regenerated); citations and sentences are compared as recorded`);
    replayed = { retrieved: hits.map((h) => ({ chunkId: h.id, sourceId: h.sourceId, contentHash: sha256Hex(h.text) })), citations: recorded.citations, sentences: recorded.sentences, answer: recorded.answer };
  }
  // For passages retrieved then but not now: are they still there, and unchanged?
  const missing = recorded.retrieved.filter((r) => !replayed.retrieved.some((x) => x.chunkId === r.chunkId)).map((r) => r.chunkId);
  const current = new Map((await deps.chunksById(missing)).map((c) => [c.id, sha256Hex(c.text)]));
  const diff = diffAnswers(recorded, replayed, current);
  return { auditId: a.auditId, question: p.question, mode: extractive ? 'full' : 'retrieval', model: { recorded: recordedModel, replayed: extractive ? EXTRACTIVE_COMPOSER.id : null }, same: diff.same, diff, replayed, notes };
}

function asWindow(v: unknown): { from?: string; to?: string } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { from, to } = v as { from?: unknown; to?: unknown };
  const w = { ...(typeof from === 'string' ? { from } : {}), ...(typeof to === 'string' ? { to } : {}) };
  return Object.keys(w).length > 0 ? w : undefined;
}

function dedupe(cs: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const key = `${c.chunkId}:${c.start}:${c.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
