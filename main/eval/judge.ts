/**
 * Blind side-by-side judging. judge.jsonl shows a reviewer two answers to
 * each question as "A" and "B" (which model wrote which is hidden, the order
 * shuffled per pair by a hash); the reviewer sets "preferred" to "A", "B" or
 * "tie" in each line. judge-key.json, which the reviewer need not open, maps
 * each pair back to the answers' audit ids, so `cairn eval judge` can record
 * every judgement as a preference in the feedback table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { jsonlLines } from './jsonl.js';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { QuestionResult } from './answer-metrics.js';
import type { GoldItem } from './gold.js';

interface Side {
  answer: string;
  sentences: { text: string; quotes: string[] }[];
  flagged: string[];
}

export interface JudgeLine {
  pairId: string;
  question: string;
  A: Side;
  B: Side;
  preferred: 'A' | 'B' | 'tie' | null;
}

const judgeLineSchema = z.object({ pairId: z.string(), preferred: z.enum(['A', 'B', 'tie']).nullable().optional() }).passthrough();

type Key = Record<string, { A: { model: string; auditId: string }; B: { model: string; auditId: string } }>;

function side(r: QuestionResult): Side {
  return { answer: r.answer, sentences: r.sentences.map((s) => ({ text: s.text, quotes: s.quotes })), flagged: r.unsupported.map((u) => u.text) };
}

async function readLines(file: string): Promise<Record<string, unknown>[]> {
  return (await jsonlLines(file)).map((l, i) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      throw new CairnError('BAD_INPUT', `${file}:${i + 1} is not valid JSON`, { input: file });
    }
  });
}

/** Adds a line per new pair of answers to judge.jsonl (a reviewer's earlier choices are kept). */
export async function writeJudgeFiles(dir: string, items: readonly GoldItem[], models: readonly string[], results: readonly QuestionResult[]): Promise<{ judge: string; judgeKey: string }> {
  const judge = path.join(dir, 'judge.jsonl');
  const judgeKey = path.join(dir, 'judge-key.json');
  const existing = await readLines(judge);
  const have = new Set(existing.map((l) => String(l.pairId)));
  let key: Key = {};
  try {
    key = JSON.parse(await readFile(judgeKey, 'utf8')) as Key;
  } catch {
    // first run
  }
  const byKey = new Map(results.map((r) => [`${r.model}\u0000${r.itemId}`, r]));
  const lines: unknown[] = [...existing];
  for (const item of items) {
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const x = byKey.get(`${models[i]}\u0000${item.id}`);
        const y = byKey.get(`${models[j]}\u0000${item.id}`);
        if (!x || !y || !x.auditId || !y.auditId || x.auditId === y.auditId || x.answer.trim() === y.answer.trim()) continue;
        const pairId = sha256Hex(`${item.id}\u0000${x.auditId}\u0000${y.auditId}`).slice(0, 16);
        if (have.has(pairId)) continue;
        // The hash decides which answer shows as A: no position bias, same order on every re-run.
        const swap = Number.parseInt(pairId.slice(-1), 16) % 2 === 1;
        const [a, b] = swap ? [y, x] : [x, y];
        lines.push({ pairId, question: item.question, A: side(a), B: side(b), preferred: null } satisfies JudgeLine);
        key[pairId] = { A: { model: a.model, auditId: a.auditId }, B: { model: b.model, auditId: b.auditId } };
        have.add(pairId);
      }
    }
  }
  await writeFile(judge, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  await writeFile(judgeKey, `${JSON.stringify(key, null, 2)}\n`);
  return { judge, judgeKey };
}

export interface Judgement {
  pairId: string;
  /** Audit ids of the two answers, as A and B were shown. */
  a: string;
  b: string;
  preferred: 'A' | 'B' | 'tie';
}

/** The reviewer's decided lines of a run's judge.jsonl (or another file), resolved through the key. */
export async function readJudgements(runDir: string, file = path.join(runDir, 'judge.jsonl')): Promise<Judgement[]> {
  let key: Key;
  try {
    key = JSON.parse(await readFile(path.join(runDir, 'judge-key.json'), 'utf8')) as Key;
  } catch (e) {
    throw new CairnError('NOT_FOUND', `${runDir} is not an answer-evaluation run folder (judge-key.json is missing)`, { input: runDir, cause: e });
  }
  const out: Judgement[] = [];
  for (const [i, raw] of (await readLines(file)).entries()) {
    const r = judgeLineSchema.safeParse(raw);
    if (!r.success) throw new CairnError('BAD_INPUT', `${file}:${i + 1}: preferred must be "A", "B", "tie" or null`, { input: `${file}:${i + 1}` });
    if (!r.data.preferred) continue;
    const k = key[r.data.pairId];
    if (!k) throw new CairnError('BAD_INPUT', `${file}:${i + 1}: pair ${r.data.pairId} is not in this run's judge-key.json`, { input: `${file}:${i + 1}` });
    out.push({ pairId: r.data.pairId, a: k.A.auditId, b: k.B.auditId, preferred: r.data.preferred });
  }
  return out;
}

/** Pair ids already recorded as feedback (judge-recorded.json), so a re-run records nothing twice. */
export async function recordedPairs(runDir: string): Promise<Set<string>> {
  try {
    return new Set(JSON.parse(await readFile(path.join(runDir, 'judge-recorded.json'), 'utf8')) as string[]);
  } catch {
    return new Set();
  }
}

export async function saveRecordedPairs(runDir: string, ids: ReadonlySet<string>): Promise<void> {
  await writeFile(path.join(runDir, 'judge-recorded.json'), `${JSON.stringify([...ids].sort(), null, 2)}\n`);
}
