/**
 * An answer as the audit log recorded it: the `ask` record's payload,
 * shape-checked, with the record's hash re-computed so an edited log line is
 * refused rather than printed in a product.
 */
import { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import { type AuditRecord, hashRecord } from '../audit/record.js';
import { CairnError } from '../core/errors.js';
import type { Citation } from '../core/types.js';
import { citationSchema } from '../api/contract.js';
import { describeIssues } from './json-file.js';

/** The citation shape the API promises is the shape an ask record stores. */
export const recordedCitationSchema = citationSchema;

export const askPayloadSchema = z.looseObject({
  question: z.string(),
  user: z.string().optional(),
  answer: z.string(),
  sentences: z.array(z.object({ text: z.string(), citations: z.array(recordedCitationSchema) })).default([]),
  citations: z.array(recordedCitationSchema).default([]),
  banner: z.string(),
  model: z.looseObject({ id: z.string(), version: z.string().optional(), parameters: z.record(z.string(), z.unknown()).default({}) }).optional(),
  retrieval: z.record(z.string(), z.unknown()).optional(),
  retrieved: z.array(z.looseObject({ chunkId: z.string(), sourceId: z.string(), contentHash: z.string().optional() })).default([]),
  promptHash: z.string().optional(),
  clearance: z.unknown().optional(),
});

export type AskPayloadRecord = z.infer<typeof askPayloadSchema>;

export interface RecordedAnswer {
  auditId: string;
  seq: number;
  ts: string;
  /** Who asked. */
  actor: string;
  payload: AskPayloadRecord;
  sentences: { text: string; citations: Citation[] }[];
  citations: Citation[];
}

/** The answer an `ask` record holds, by auditId (or a unique prefix of at least 8 hex digits). */
export async function loadAnswer(audit: Pick<AuditLog, 'find'>, id: string): Promise<RecordedAnswer> {
  const record = await audit.find(id);
  if (!record) throw new CairnError('NOT_FOUND', `no audit record ${id}; an answer id is the auditId \`cairn ask --json\` printed`, { input: id });
  return answerFromRecord(record);
}

export function answerFromRecord(record: AuditRecord): RecordedAnswer {
  if (record.action !== 'ask') {
    throw new CairnError('BAD_INPUT', `audit record ${record.hash.slice(0, 12)} (seq ${record.seq}) is an '${record.action}' record, not an answer`, { input: record.hash });
  }
  if (hashRecord(record) !== record.hash) {
    throw new CairnError('AUDIT_BROKEN', `audit record seq ${record.seq} does not match its hash: the log was edited; run \`cairn audit verify\``, { input: record.hash });
  }
  const r = askPayloadSchema.safeParse(record.payload);
  if (!r.success) throw new CairnError('BAD_INPUT', `audit record seq ${record.seq} is not a readable answer: ${describeIssues(r.error)}`, { input: record.hash });
  const payload = r.data;
  return { auditId: record.hash, seq: record.seq, ts: record.ts, actor: record.actor, payload, sentences: payload.sentences, citations: payload.citations };
}

/** Every chunk an answer cites. */
export function citedChunkIds(answers: readonly RecordedAnswer[]): string[] {
  return [...new Set(answers.flatMap((a) => [...a.citations, ...a.sentences.flatMap((s) => s.citations)].map((c) => c.chunkId)))];
}

/**
 * Refuses answers that cite passages the current user may not read: a
 * report is read by its author, so it may hold only what the author could
 * have been shown.
 */
export function assertReadable(answers: readonly RecordedAnswer[], markings: ReadonlyMap<string, string>): void {
  for (const a of answers) {
    const hidden = [...a.citations, ...a.sentences.flatMap((s) => s.citations)].filter((c) => !markings.has(c.chunkId));
    if (hidden.length > 0) {
      throw new CairnError('BAD_INPUT', `answer ${a.auditId.slice(0, 12)} cites ${hidden.length} passage(s) you are not cleared to read (or that are no longer in the store); it cannot go into your report`, { input: a.auditId });
    }
  }
}
