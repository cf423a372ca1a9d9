import { readFile } from 'node:fs/promises';
import { chunkPages } from '../../ingest/chunking.js';
import { composeExtractive, type ExtractiveOptions } from '../agent/extractive.js';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { Source } from '../core/types.js';
import type { Embedder } from '../embed/embedder.js';
import { hybridSearch } from '../search/hybrid.js';
import { Store } from '../store/store.js';

export interface SquadQuestion {
  id: string;
  article: number;
  question: string;
  answers: string[];
  /** Source id of the paragraph holding the answer. */
  goldSourceId: string;
}

export interface SquadSet {
  articles: { title: string; paragraphs: { sourceId: string; context: string }[] }[];
  questions: SquadQuestion[];
}

type RawSquad = { data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; answers: { text: string }[] }[] }[] }[] };

/** The shape SQuAD v1.1 files have; anything else is refused with where it went wrong. */
function assertSquad(raw: unknown, file: string): asserts raw is RawSquad {
  const bad = (what: string): never => {
    throw new CairnError('BAD_INPUT', `${file} is not a SQuAD v1.1 file: ${what}`, { input: file });
  };
  const data = (raw as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) bad('no top-level "data" array');
  for (const [ai, a] of (data as unknown[]).entries()) {
    const art = a as { title?: unknown; paragraphs?: unknown };
    if (typeof art?.title !== 'string' || !Array.isArray(art.paragraphs)) bad(`data[${ai}] needs "title" and "paragraphs"`);
    for (const [pi, p] of (art.paragraphs as unknown[]).entries()) {
      const para = p as { context?: unknown; qas?: unknown };
      if (typeof para?.context !== 'string' || !Array.isArray(para.qas)) bad(`data[${ai}].paragraphs[${pi}] needs "context" and "qas"`);
      for (const [qi, q] of (para.qas as unknown[]).entries()) {
        const qa = q as { id?: unknown; question?: unknown; answers?: unknown };
        const where = `data[${ai}].paragraphs[${pi}].qas[${qi}]`;
        if (typeof qa?.question !== 'string') bad(`${where} needs "question"`);
        // SQuAD v2 leaves "answers" empty (or absent, with "is_impossible") for questions the paragraph cannot answer.
        if (qa.answers === undefined) qa.answers = [];
        if (!Array.isArray(qa.answers)) bad(`${where}.answers must be a list`);
        if (!(qa.answers as unknown[]).every((x) => typeof (x as { text?: unknown })?.text === 'string')) bad(`${where}.answers must have "text"`);
        if (typeof qa.id !== 'string') qa.id = `${ai}-${pi}-${qi}`;
      }
    }
  }
}

export async function loadSquad(file: string): Promise<SquadSet> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CairnError('NOT_FOUND', `no such file: ${file}`, { input: file });
    if (e instanceof SyntaxError) throw new CairnError('BAD_INPUT', `${file} is not JSON: ${e.message}`, { input: file });
    throw e;
  }
  assertSquad(raw, file);
  const questions: SquadQuestion[] = [];
  const articles = raw.data.map((a, ai) => ({
    title: a.title.replace(/_/g, ' '),
    paragraphs: a.paragraphs.map((p) => {
      const sourceId = sha256Hex(p.context);
      for (const qa of p.qas) questions.push({ id: qa.id, article: ai, question: qa.question, answers: qa.answers.map((x) => x.text), goldSourceId: sourceId });
      return { sourceId, context: p.context };
    }),
  }));
  return { articles, questions };
}

/** SQuAD v1.1 answer normalisation: lower-case, no punctuation, no articles, single spaces. */
export function normalizeAnswer(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function f1Score(prediction: string, gold: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const g = normalizeAnswer(gold).split(' ').filter(Boolean);
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Builds a store holding each paragraph of the chosen articles as a source. */
export async function buildSquadStore(dir: string, set: SquadSet, articleIds: ReadonlySet<number>, embedder: Embedder): Promise<Store> {
  const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
  for (const [ai, a] of set.articles.entries()) {
    if (!articleIds.has(ai)) continue;
    const sources: Source[] = [];
    const texts: { sourceId: string; draft: ReturnType<typeof chunkPages>[number] }[] = [];
    for (const p of a.paragraphs) {
      sources.push({ id: p.sourceId, kind: 'document', title: a.title, origin: `squad:${a.title}`, mime: 'text/plain', bytes: p.context.length, ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {} });
      for (const draft of chunkPages([{ page: 1, text: p.context }])) texts.push({ sourceId: p.sourceId, draft });
    }
    const vectors = await embedder.embed(texts.map((t) => t.draft.text));
    await store.writeBulk(
      sources,
      texts.map(({ sourceId, draft }, i) => ({ id: sha256Hex(`${sourceId}:${draft.page}:${draft.start}:${draft.end}`), sourceId, ordinal: draft.ordinal, text: draft.text, page: draft.page, start: draft.start, end: draft.end, marking: 'UNCLASSIFIED', vector: vectors[i] as Float32Array })),
    );
  }
  await store.optimize();
  return store;
}

export interface SquadOutcome {
  id: string;
  bestCoverage: number;
  /** Answer text (cited sentences) contains a gold answer. */
  answerInCitation: boolean;
  /** The first citation is the gold paragraph. */
  citedGold: boolean;
  f1: number;
}

/** Asks one question with the composer forced to answer (threshold 0), so any threshold can be applied afterwards. */
export async function askSquad(store: Store, embedder: Embedder, q: SquadQuestion, composer: ExtractiveOptions = {}): Promise<SquadOutcome> {
  const hits = await hybridSearch(store, embedder, q.question, { k: 8 });
  const r = composeExtractive(q.question, hits, { ...composer, minCoverage: 0 });
  const text = r.sentences.map((s) => s.text).join(' ');
  const norm = normalizeAnswer(text);
  return {
    id: q.id,
    bestCoverage: r.bestCoverage,
    answerInCitation: q.answers.some((a) => norm.includes(normalizeAnswer(a))),
    citedGold: r.sentences[0]?.citations[0]?.sourceId === q.goldSourceId,
    f1: Math.max(0, ...q.answers.map((a) => f1Score(text, a))),
  };
}
