import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cairn, NO_EVIDENCE_ANSWER } from '../api/cairn.js';
import type { Answer } from '../core/types.js';
import { mean } from './metrics.js';
import { f1Score, loadSquad, normalizeAnswer, type SquadQuestion } from './squad.js';

/** `cairn eval answers SQUAD_JSON`: what the default answer path gets right on a SQuAD-format set. */
export interface SquadAnswerReport {
  set: string;
  articles: number;
  paragraphs: number;
  questions: number;
  /** The model that answered ('extractive': the built-in default). */
  model: string;
  /** Share of answerable questions (all, in SQuAD v1.1) whose gold answer text is inside one cited quote (SQuAD normalisation). */
  answerInCitation: number;
  /** Share of answerable questions answered "no evidence". */
  noEvidence: number;
  /** SQuAD v2 questions with no gold answer, when the file has any: how many, and the share rightly answered "no evidence". */
  unanswerable?: { questions: number; noEvidence: number };
  /** Share of all questions whose first citation is the gold paragraph. */
  citedGoldParagraph: number;
  /** Over answered questions: exact match and token F1 of the shortest cited quote against the best gold answer. */
  shortestSpan: { exactMatch: number; f1: number; answered: number };
  seconds: { ingest: number; ask: number };
}

export interface SquadAnswerOptions {
  /** Work folder (a temporary one by default, removed after); the analyst's own store is never touched. */
  workDir?: string;
  /** A model name from `cairn models list`; the built-in extractive composer by default. */
  model?: string;
  onProgress?: (done: number, total: number, phase: 'ingest' | 'ask') => void;
}

export interface SquadQuestionOutcome {
  answerInCitation: boolean;
  noEvidence: boolean;
  citedGold: boolean;
  /** Shortest cited quote, null when nothing was cited. */
  shortest: string | null;
}

/** Scores one answer against a question's gold answers: pure, so it is tested without a store. */
export function scoreSquadAnswer(q: Pick<SquadQuestion, 'answers' | 'goldSourceId'>, a: Pick<Answer, 'answer' | 'citations'>): SquadQuestionOutcome {
  const quotes = a.citations.map((c) => c.quote).filter((t) => t.trim() !== '');
  const golds = q.answers.map(normalizeAnswer).filter((g) => g !== '');
  const normQuotes = quotes.map(normalizeAnswer);
  const shortest = quotes.length ? quotes.reduce((s, t) => (t.length < s.length ? t : s)) : null;
  return {
    answerInCitation: golds.some((g) => normQuotes.some((t) => t.includes(g))),
    noEvidence: a.answer === NO_EVIDENCE_ANSWER || quotes.length === 0,
    citedGold: a.citations[0]?.sourceId === q.goldSourceId,
    shortest,
  };
}

/**
 * Ingests every paragraph of a SQuAD v1.1 file as a text source through the
 * real pipeline (into a scratch data folder) and asks every question through
 * the normal answer path, as an analyst would; then scores the cited quotes.
 * The paragraph source ids are the hash of their text, as ingest computes
 * them, so "cited the gold paragraph" needs no mapping.
 */
export async function evalSquadAnswers(file: string, opts: SquadAnswerOptions = {}): Promise<SquadAnswerReport> {
  const set = await loadSquad(file);
  const work = opts.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cairn-squad-eval-')));
  try {
    const docs = path.join(work, 'paragraphs');
    await mkdir(docs, { recursive: true });
    const seen = new Set<string>();
    let paragraphs = 0;
    for (const [ai, a] of set.articles.entries()) {
      for (const [pi, p] of a.paragraphs.entries()) {
        if (seen.has(p.sourceId)) continue;
        seen.add(p.sourceId);
        paragraphs++;
        await writeFile(path.join(docs, `${String(ai).padStart(4, '0')}-${String(pi).padStart(4, '0')}.txt`), p.context);
      }
    }
    const cairn = await Cairn.open(path.join(work, 'data'));
    const t0 = performance.now();
    await cairn.ingest({ paths: [docs] }, (e) => opts.onProgress?.(e.done, e.total, 'ingest'));
    const t1 = performance.now();
    const outcomes: SquadQuestionOutcome[] = [];
    for (const [i, q] of set.questions.entries()) {
      const a = await cairn.ask({ question: q.question, ...(opts.model ? { model: opts.model } : {}) });
      outcomes.push(scoreSquadAnswer(q, a));
      opts.onProgress?.(i + 1, set.questions.length, 'ask');
    }
    const t2 = performance.now();
    const all = outcomes.map((o, i) => ({ o, q: set.questions[i]! }));
    // SQuAD v2 marks questions the paragraph cannot answer with no answers: the right reply there is "no evidence".
    const answerable = all.filter(({ q }) => q.answers.length > 0);
    const impossible = all.filter(({ q }) => q.answers.length === 0);
    const share = (f: (o: SquadQuestionOutcome) => boolean): number => round4(mean(answerable.map(({ o }) => (f(o) ? 1 : 0))));
    const answered = answerable.filter(({ o }) => !o.noEvidence && o.shortest !== null);
    return {
      set: path.basename(file),
      articles: set.articles.length,
      paragraphs,
      questions: set.questions.length,
      model: opts.model ?? 'extractive',
      ...(impossible.length > 0 ? { unanswerable: { questions: impossible.length, noEvidence: round4(mean(impossible.map(({ o }) => (o.noEvidence ? 1 : 0)))) } } : {}),
      answerInCitation: share((o) => o.answerInCitation),
      noEvidence: share((o) => o.noEvidence),
      citedGoldParagraph: share((o) => o.citedGold),
      shortestSpan: {
        exactMatch: round4(mean(answered.map(({ o, q }) => (q.answers.some((g) => normalizeAnswer(g) === normalizeAnswer(o.shortest!)) ? 1 : 0)))),
        f1: round4(mean(answered.map(({ o, q }) => Math.max(0, ...q.answers.map((g) => f1Score(o.shortest!, g)))))),
        answered: answered.length,
      },
      seconds: { ingest: Math.round((t1 - t0) / 100) / 10, ask: Math.round((t2 - t1) / 100) / 10 },
    };
  } finally {
    if (!opts.workDir) await rm(work, { recursive: true, force: true });
  }
}

const round4 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : 0);
