import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The repository root (this file is test/ingest/imagery/fixtures.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Real imagery fixtures with expected outputs, kept beside the repo. */
export const IMAGERY = path.resolve(repoRoot, '../shared/eval/imagery');

/** `describe` when ../shared/eval/imagery/<folder> exists, else `describe.skip` saying why. */
export function describeFixtures(folder: string, name: string, fn: () => void): void {
  const dir = path.join(IMAGERY, folder);
  if (existsSync(dir)) describe(name, fn);
  else describe.skip(`${name} (skipped: fixture folder ${dir} not found; it lives in ../shared/eval/imagery beside the repo)`, fn);
}

export function fixturePath(folder: string, file: string): string {
  return path.join(IMAGERY, folder, file);
}

export function fixtureBytes(folder: string, file: string): Buffer {
  return readFileSync(fixturePath(folder, file));
}

/** A tiny CSV reader for the expected.csv files (no quoted commas in them). Empty when the file is absent. */
export function readExpectedCsv(folder: string, file = 'expected.csv'): Array<Record<string, string>> {
  const p = fixturePath(folder, file);
  if (!existsSync(p)) return [];
  const [head, ...rows] = readFileSync(p, 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Levenshtein distance over code points (two-row DP). */
export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** Whitespace-insensitive text for comparing OCR with a transcript. */
export const normaliseText = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Character error rate: edit distance / reference length, after whitespace normalisation. */
export function cer(ocr: string, truth: string): number {
  const t = normaliseText(truth);
  return t.length === 0 ? 0 : levenshtein(normaliseText(ocr), t) / t.length;
}

/** 1 - normalised Levenshtein (by the longer string): 1 is identical. */
export function similarity(a: string, b: string): number {
  const x = normaliseText(a);
  const y = normaliseText(b);
  const n = Math.max([...x].length, [...y].length);
  return n === 0 ? 1 : 1 - levenshtein(x, y) / n;
}
