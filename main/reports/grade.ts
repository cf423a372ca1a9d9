/**
 * Source grading with the Admiralty (NATO) code: the source's reliability,
 * A (completely reliable) to F (cannot be judged), and the information's
 * credibility, 1 (confirmed by other sources) to 6 (cannot be judged),
 * written together as `B2`. Pure: parsing, wording and filtering. Storage is
 * grade-book.ts.
 */
import { CairnError } from '../core/errors.js';

export type Reliability = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
export type Credibility = 1 | 2 | 3 | 4 | 5 | 6;

export const RELIABILITY: Readonly<Record<Reliability, string>> = {
  A: 'Completely reliable',
  B: 'Usually reliable',
  C: 'Fairly reliable',
  D: 'Not usually reliable',
  E: 'Unreliable',
  F: 'Reliability cannot be judged',
};

export const CREDIBILITY: Readonly<Record<Credibility, string>> = {
  1: 'Confirmed by other sources',
  2: 'Probably true',
  3: 'Possibly true',
  4: 'Doubtful',
  5: 'Improbable',
  6: 'Truth cannot be judged',
};

export interface Grade {
  reliability: Reliability;
  credibility: Credibility;
}

/** Where a grade came from: an analyst (`cairn grade`) or the manifest of the package the source arrived in. */
export type GradeOrigin = 'analyst' | 'manifest';

export interface SourceGrade extends Grade {
  /** `B2`. */
  code: string;
  via: GradeOrigin;
  setBy: string;
  /** ISO 8601. */
  setAt: string;
  note?: string;
}

const GRADE = /^\s*([A-Fa-f])\s*[-/ ]?\s*([1-6])\s*$/;

/** `B2`, `b2`, `B-2`, `B/2` -> {B, 2}. Anything else throws BAD_INPUT saying what a grade looks like. */
export function parseGrade(text: string): Grade {
  const m = GRADE.exec(text);
  if (!m) {
    throw new CairnError('BAD_INPUT', `not a source grade: ${JSON.stringify(text)}; a grade is a reliability letter A-F and a credibility digit 1-6, e.g. B2 (A completely reliable ... F cannot be judged; 1 confirmed ... 6 cannot be judged)`, { input: text });
  }
  return { reliability: m[1]!.toUpperCase() as Reliability, credibility: Number(m[2]) as Credibility };
}

export function gradeCode(g: Grade): string {
  return `${g.reliability}${g.credibility}`;
}

/** `B2 (usually reliable; probably true)`. */
export function describeGrade(g: Grade): string {
  return `${gradeCode(g)} (${RELIABILITY[g.reliability].toLowerCase()}; ${CREDIBILITY[g.credibility].toLowerCase()})`;
}

/** A grade a package manifest put in the source's metadata (`metadata.grade` or `metadata.provenance.grade`), if valid. */
export function gradeFromMetadata(metadata: Record<string, unknown> | undefined): Grade | null {
  if (!metadata) return null;
  const prov = metadata.provenance;
  const raw = typeof metadata.grade === 'string' ? metadata.grade : prov && typeof prov === 'object' ? (prov as Record<string, unknown>).grade : undefined;
  if (typeof raw !== 'string' || !GRADE.test(raw)) return null;
  return parseGrade(raw);
}

/**
 * A search filter on grades: the worst acceptable reliability and/or
 * credibility. `B2` keeps A1..B2 (A or B, and 1 or 2); `C` any credibility
 * from a source rated A-C; `3` any source whose information is rated 1-3.
 * F and 6 ("cannot be judged") pass only a filter that names them.
 */
export interface GradeFilter {
  maxReliability?: Reliability;
  maxCredibility?: Credibility;
  /** Keep sources nobody has graded (default false: a grade filter asks for graded sources). */
  includeUngraded?: boolean;
}

export function parseGradeFilter(text: string, includeUngraded = false): GradeFilter {
  const t = text.trim();
  if (/^[A-Fa-f]$/.test(t)) return { maxReliability: t.toUpperCase() as Reliability, includeUngraded };
  if (/^[1-6]$/.test(t)) return { maxCredibility: Number(t) as Credibility, includeUngraded };
  const g = parseGrade(t);
  return { maxReliability: g.reliability, maxCredibility: g.credibility, includeUngraded };
}

export function gradePasses(grade: Grade | null | undefined, filter: GradeFilter): boolean {
  if (!grade) return filter.includeUngraded === true;
  if (filter.maxReliability !== undefined && grade.reliability > filter.maxReliability) return false;
  if (filter.maxCredibility !== undefined && grade.credibility > filter.maxCredibility) return false;
  return true;
}
