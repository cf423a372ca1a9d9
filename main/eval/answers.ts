/**
 * `cairn eval answers SET --models A,B`: every model answers every question
 * of a gold set through the normal answer path (retrieval, agent, citation
 * check, audit). Resumable: each result is appended to results.jsonl in the
 * run folder as it is known, and a re-run skips (model, question) pairs
 * already there. Ends with the report (report.md, report.json, chart.png)
 * and a blind side-by-side file for a reviewer (judge.jsonl).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { jsonlLines } from './jsonl.js';
import path from 'node:path';
import { toCairnError } from '../core/errors.js';
import { type EvalAnswer, isNoEvidenceItem, type QuestionResult, rank, scoreAnswer, summarise } from './answer-metrics.js';
import { type AnswerReport, writeReport } from './answer-report.js';
import type { GoldItem } from './gold.js';
import { writeJudgeFiles } from './judge.js';

/** Asks one question with one model; onToken is called per streamed token. */
export type AskFn = (question: string, model: string, onToken: () => void) => Promise<EvalAnswer>;

export interface AnswerRunOptions {
  setName: string;
  items: readonly GoldItem[];
  models: readonly string[];
  outDir: string;
  ask: AskFn;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface AnswerRunResult {
  report: AnswerReport;
  files: { results: string; markdown: string; json: string; chart: string; judge: string; judgeKey: string };
  /** Pairs answered in this run (the rest were carried over from an earlier one). */
  asked: number;
  skipped: number;
}

const key = (model: string, itemId: string): string => `${model}\u0000${itemId}`;

/** Results already in the run folder; a line cut off by a crash is ignored (and asked again). */
export async function readResults(file: string): Promise<QuestionResult[]> {
  const out: QuestionResult[] = [];
  for (const line of await jsonlLines(file)) {
    try {
      out.push(JSON.parse(line) as QuestionResult);
    } catch {
      // a torn last line
    }
  }
  return out;
}

function failed(model: string, item: GoldItem, error: string, latencyMs: number): QuestionResult {
  const base = scoreAnswer(model, item, { answer: '', sentences: [], citations: [], banner: '', auditId: '', status: 'fallback' }, latencyMs, 0);
  return { ...base, status: 'error', error };
}

export async function runAnswerEval(o: AnswerRunOptions): Promise<AnswerRunResult> {
  await mkdir(o.outDir, { recursive: true });
  const resultsFile = path.join(o.outDir, 'results.jsonl');
  const previous = await readResults(resultsFile);
  // If a torn line was dropped, rewrite nothing: appends after it start on a fresh line.
  const done = new Map(previous.map((r) => [key(r.model, r.itemId), r]));
  const total = o.items.length * o.models.length;
  let count = 0;
  let asked = 0;
  let needsNewline = false;
  try {
    const raw = await readFile(resultsFile, 'utf8');
    needsNewline = raw.length > 0 && !raw.endsWith('\n');
  } catch {
    // no file yet
  }
  for (const item of o.items) {
    for (const model of o.models) {
      count++;
      if (done.has(key(model, item.id))) {
        o.onProgress?.(count, total, `${model}: ${item.id}`);
        continue;
      }
      let tokens = 0;
      const t0 = performance.now();
      let result: QuestionResult;
      try {
        const a = await o.ask(item.question, model, () => tokens++);
        result = scoreAnswer(model, item, a, performance.now() - t0, tokens);
      } catch (e) {
        result = failed(model, item, toCairnError(e).message, performance.now() - t0);
      }
      await appendFile(resultsFile, `${needsNewline ? '\n' : ''}${JSON.stringify(result)}\n`);
      needsNewline = false;
      done.set(key(model, item.id), result);
      asked++;
      o.onProgress?.(count, total, `${model}: ${item.id}`);
    }
  }
  const wanted = new Set(o.items.map((i) => i.id));
  const results = [...done.values()].filter((r) => wanted.has(r.itemId) && o.models.includes(r.model));
  const report: AnswerReport = {
    set: o.setName,
    questions: o.items.length,
    noEvidenceQuestions: o.items.filter(isNoEvidenceItem).length,
    ranking: rank(o.models.map((m) => summarise(m, results.filter((r) => r.model === m)))),
    generatedAt: new Date().toISOString(),
  };
  const files = await writeReport(o.outDir, report);
  const judge = await writeJudgeFiles(o.outDir, o.items, o.models, results);
  return { report, files: { results: resultsFile, ...files, ...judge }, asked, skipped: total - asked };
}
