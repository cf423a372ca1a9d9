/**
 * Analysts' feedback on answers: ratings, citations marked wrong or missing,
 * corrected answers and preferences between two answers to one question.
 * Every write is audited first and stored second (no unaudited feedback);
 * each row inherits the banner of the answer(s) it is about, and readers see
 * only rows whose marking they are cleared for.
 */
import { formatBanner, type MarkingPolicy, parseMarking, rollUp } from '../access/index.js';
import { readableMarkings, type UserProfile } from '../access/users.js';
import type { AuditLog } from '../audit/log.js';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { FeedbackRow, FeedbackTable } from '../store/feedback.js';
import { type AnsweredQuestion, findAnswers } from './answers.js';

export type Rating = 'up' | 'down' | 1 | 2 | 3 | 4 | 5;

export interface FeedbackInput {
  answerId: string;
  rating?: 'up' | 'down' | number;
  citation?: { verdict: 'wrong' | 'missing'; chunkId?: string; sourceId?: string; note?: string };
  correction?: string;
  preference?: { otherAnswerId: string; preferred: 'this' | 'other' | 'tie' };
  comment?: string;
}

export interface FeedbackResult {
  ids: string[];
  auditId: string;
  marking: string;
}

export interface FeedbackContext {
  table: FeedbackTable;
  audit: AuditLog;
  user: UserProfile;
  policy: MarkingPolicy;
}

/** A rating on one scale: up/down, or 1-5 (4 and 5 count as up, 1 and 2 as down). */
export function ratingPolarity(r: unknown): 'up' | 'down' | 'neutral' {
  if (r === 'up' || (typeof r === 'number' && r >= 4)) return 'up';
  if (r === 'down' || (typeof r === 'number' && r <= 2)) return 'down';
  return 'neutral';
}

function summary(a: AnsweredQuestion): Record<string, unknown> {
  return { answerId: a.answerId, text: a.answer, model: a.model, banner: a.banner, citedSourceIds: a.citedSourceIds, cited: a.cited, noEvidence: a.noEvidence };
}

function canRead(ctx: FeedbackContext, marking: string): boolean {
  return readableMarkings(ctx.user, [marking], ctx.policy).has(marking);
}

export async function recordFeedback(ctx: FeedbackContext, input: FeedbackInput): Promise<FeedbackResult> {
  if (input.rating === undefined && !input.citation && input.correction === undefined && !input.preference) {
    throw new CairnError('BAD_INPUT', 'feedback needs a rating, a citation verdict, a correction or a preference');
  }
  if (input.citation && !input.citation.chunkId && !input.citation.sourceId) {
    throw new CairnError('BAD_INPUT', 'a citation verdict names the passage (chunkId) or source (sourceId) it is about');
  }
  const ids = [input.answerId, ...(input.preference ? [input.preference.otherAnswerId] : [])];
  if (input.preference && input.preference.otherAnswerId === input.answerId) throw new CairnError('BAD_INPUT', 'a preference compares two different answers', { input: input.answerId });
  const answers = await findAnswers(ctx.audit, ids);
  const self = answers.get(input.answerId)!;
  const other = input.preference ? answers.get(input.preference.otherAnswerId)! : null;
  for (const a of [self, other]) {
    // An answer above the reader's clearance does not exist for them.
    if (a && !canRead(ctx, a.banner)) throw new CairnError('NOT_FOUND', `no answer with id ${a.answerId} in the audit log`, { input: a.answerId });
  }
  if (other && other.question.trim() !== self.question.trim()) {
    throw new CairnError('BAD_INPUT', `a preference compares two answers to the same question; ${other.answerId.slice(0, 12)} answered ${JSON.stringify(other.question)}`, { input: other.answerId });
  }
  const marking = other ? formatBanner(rollUp([self.banner, other.banner].map((b) => parseMarking(b, ctx.policy)), ctx.policy)) : self.banner;

  const items: { kind: FeedbackRow['kind']; data: Record<string, unknown> }[] = [];
  if (input.rating !== undefined) items.push({ kind: 'rating', data: { rating: input.rating, polarity: ratingPolarity(input.rating), answer: summary(self) } });
  if (input.citation) items.push({ kind: 'citation', data: { ...input.citation, answer: summary(self) } });
  if (input.correction !== undefined) items.push({ kind: 'correction', data: { correction: input.correction, answer: summary(self) } });
  if (other && input.preference) {
    const chosen = input.preference.preferred === 'this' ? self : input.preference.preferred === 'other' ? other : null;
    items.push({ kind: 'preference', data: { preferred: input.preference.preferred, otherAnswerId: other.answerId, chosenAnswerId: chosen?.answerId ?? null, answer: summary(self), other: summary(other) } });
  }
  if (input.comment) for (const it of items) it.data.comment = input.comment;

  const ts = new Date().toISOString();
  const record = await ctx.audit.append(ctx.user.name, 'feedback', {
    user: ctx.user.name,
    answerId: self.answerId,
    question: self.question,
    marking,
    items: items.map((it) => ({ kind: it.kind, ...Object.fromEntries(Object.entries(it.data).filter(([k]) => k !== 'answer' && k !== 'other')) })),
    ...(other ? { otherAnswerId: other.answerId } : {}),
  });
  const rows: FeedbackRow[] = items.map((it, i) => ({
    id: sha256Hex(`${record.hash}:${i}`),
    kind: it.kind,
    answerId: self.answerId,
    question: self.question,
    user: ctx.user.name,
    ts,
    marking,
    auditId: record.hash,
    data: it.data,
  }));
  for (const row of rows) await ctx.table.add(row);
  return { ids: rows.map((r) => r.id), auditId: record.hash, marking };
}

/** Feedback the reader is cleared for; the marking filter runs in the table query. */
export async function listFeedback(ctx: Pick<FeedbackContext, 'table' | 'user' | 'policy'>, q: { answerId?: string; kind?: FeedbackRow['kind'] } = {}): Promise<FeedbackRow[]> {
  const visible = ctx.user.access ? readableMarkings(ctx.user, await ctx.table.markings(), ctx.policy) : null;
  return ctx.table.list(visible, q);
}
