/**
 * Gold question sets: the documented JSON Lines form every answer evaluation
 * reads, built from analysts' feedback or imported from SQuAD, BEIR or JSONL.
 *
 *   {"id": "q1", "question": "...", "expectedSourceIds": ["<source id>"], "expectedAnswer": "..." }
 *
 * An empty expectedSourceIds means the loaded sources do not answer the
 * question: a good model says so ("no evidence"). expectedAnswer may be null
 * (retrieval-only sets such as BEIR). Optional: marking (the banner of the
 * material the item came from), origin (where it came from).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { FeedbackRow } from '../store/feedback.js';
import { loadBeir } from './beir.js';
import { loadSquad } from './squad.js';

export const goldItemSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  expectedSourceIds: z.array(z.string()),
  expectedAnswer: z.string().nullable(),
  marking: z.string().optional(),
  origin: z.string().optional(),
});

export type GoldItem = z.infer<typeof goldItemSchema>;

export type GoldFormat = 'squad' | 'beir' | 'jsonl';

export function parseGoldJsonl(text: string, file = 'set'): GoldItem[] {
  const out: GoldItem[] = [];
  const ids = new Set<string>();
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new CairnError('BAD_INPUT', `${file}:${i + 1} is not valid JSON`, { input: `${file}:${i + 1}` });
    }
    const r = goldItemSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new CairnError('BAD_INPUT', `${file}:${i + 1}: ${issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'invalid'} (expected {id, question, expectedSourceIds, expectedAnswer})`, { input: `${file}:${i + 1}` });
    }
    if (ids.has(r.data.id)) throw new CairnError('BAD_INPUT', `${file}:${i + 1}: id ${JSON.stringify(r.data.id)} appears twice`, { input: `${file}:${i + 1}` });
    ids.add(r.data.id);
    out.push(r.data);
  }
  return out;
}

export async function readGoldSet(file: string): Promise<GoldItem[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CairnError('NOT_FOUND', `cannot read the question set ${file}: ${(e as Error).message}`, { input: file, cause: e });
  }
  const items = parseGoldJsonl(text, file);
  if (items.length === 0) throw new CairnError('BAD_INPUT', `${file} holds no questions`, { input: file });
  return items;
}

export async function writeGoldSet(file: string, items: readonly GoldItem[]): Promise<void> {
  await writeFile(file, items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''));
}

/** SQuAD v1.1 JSON, BEIR folder or gold JSONL into gold items. */
export async function importGoldSet(file: string, format: GoldFormat): Promise<GoldItem[]> {
  if (format === 'jsonl') return readGoldSet(file);
  if (format === 'squad') {
    const set = await loadSquad(file);
    // Source ids are sha256 of each paragraph's text: what ingesting the paragraph as a text file gives.
    return set.questions.map((q) => ({ id: q.id, question: q.question, expectedSourceIds: [q.goldSourceId], expectedAnswer: q.answers[0] ?? null, origin: `squad:${q.id}` }));
  }
  const set = await loadBeir(file);
  return [...set.queries].map(([id, question]) => ({
    id,
    question,
    expectedSourceIds: [...(set.qrels.get(id) ?? new Map<string, number>())].filter(([, rel]) => rel > 0).map(([doc]) => doc),
    expectedAnswer: null,
    origin: `beir:${set.name}:${id}`,
  }));
}

interface Cited {
  chunkId: string;
  sourceId: string;
}

interface AnswerSummary {
  answerId: string;
  text: string;
  cited: Cited[];
  noEvidence: boolean;
}

function summaryOf(x: unknown): AnswerSummary | null {
  if (!x || typeof x !== 'object') return null;
  const s = x as Record<string, unknown>;
  if (typeof s.answerId !== 'string' || typeof s.text !== 'string') return null;
  const cited = Array.isArray(s.cited) ? (s.cited as Cited[]) : ((s.citedSourceIds as string[] | undefined) ?? []).map((id) => ({ chunkId: '', sourceId: id }));
  return { answerId: s.answerId, text: s.text, cited, noEvidence: s.noEvidence === true };
}

interface Verdicts {
  question: string;
  marking: string;
  answer: AnswerSummary;
  correction?: string;
  polarity?: 'up' | 'down' | 'neutral';
  preferred?: boolean;
  wrongChunks: Set<string>;
  wrongSources: Set<string>;
  missingSources: Set<string>;
  ts: string;
}

/**
 * Turns rated and corrected answers into gold items: a correction is the
 * expected answer; an answer rated up (or preferred) is one as it stands.
 * Expected sources are the answer's cited sources less those flagged wrong,
 * plus those flagged missing. An answer rated up that found no evidence is a
 * "no evidence" item. Answers rated down without a correction teach nothing
 * certain and are left out. One item per question (the latest judgement).
 */
export function goldFromFeedback(rows: readonly FeedbackRow[]): GoldItem[] {
  const byAnswer = new Map<string, Verdicts>();
  const get = (r: FeedbackRow, answer: AnswerSummary): Verdicts => {
    let v = byAnswer.get(answer.answerId);
    if (!v) byAnswer.set(answer.answerId, (v = { question: r.question, marking: r.marking, answer, wrongChunks: new Set(), wrongSources: new Set(), missingSources: new Set(), ts: r.ts }));
    if (r.ts > v.ts) v.ts = r.ts;
    return v;
  };
  for (const r of rows) {
    const self = summaryOf(r.data.answer);
    if (!self) continue;
    const v = get(r, self);
    if (r.kind === 'rating') v.polarity = r.data.polarity as Verdicts['polarity'];
    else if (r.kind === 'correction') v.correction = String(r.data.correction ?? '');
    else if (r.kind === 'citation') {
      const verdict = r.data.verdict;
      if (verdict === 'wrong') {
        if (typeof r.data.chunkId === 'string') v.wrongChunks.add(r.data.chunkId);
        if (typeof r.data.sourceId === 'string') v.wrongSources.add(r.data.sourceId);
      } else if (verdict === 'missing' && typeof r.data.sourceId === 'string') v.missingSources.add(r.data.sourceId);
    } else if (r.kind === 'preference') {
      const other = summaryOf(r.data.other);
      const chosenId = r.data.chosenAnswerId;
      if (other && chosenId === other.answerId) get(r, other).preferred = true;
      else if (chosenId === self.answerId) v.preferred = true;
    }
  }
  const byQuestion = new Map<string, GoldItem & { ts: string }>();
  for (const v of byAnswer.values()) {
    const positive = v.correction !== undefined || v.polarity === 'up' || (v.preferred === true && v.polarity !== 'down');
    if (!positive) continue;
    const sources = new Set(v.answer.cited.filter((c) => !v.wrongChunks.has(c.chunkId) && !v.wrongSources.has(c.sourceId)).map((c) => c.sourceId));
    for (const s of v.missingSources) sources.add(s);
    const abstains = v.correction === undefined && v.answer.noEvidence;
    const item = {
      id: `fb-${sha256Hex(v.question.trim()).slice(0, 16)}`,
      question: v.question,
      expectedSourceIds: abstains ? [] : [...sources].sort(),
      expectedAnswer: v.correction ?? (abstains ? null : v.answer.text),
      marking: v.marking,
      origin: `feedback:${v.answer.answerId}`,
      ts: v.ts,
    };
    const prev = byQuestion.get(v.question.trim());
    if (!prev || item.ts >= prev.ts) byQuestion.set(v.question.trim(), item);
  }
  return [...byQuestion.values()].map(({ ts: _ts, ...item }) => item);
}
