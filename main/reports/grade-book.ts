/**
 * Where grades live: DATA/grades.json, one entry per graded source, each
 * change recorded in the audit log as `source.grade`. An analyst's grade
 * wins over one a package manifest supplied in the source's metadata.
 */
import path from 'node:path';
import { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import { CairnError } from '../core/errors.js';
import type { Source } from '../core/types.js';
import { describeGrade, type Grade, gradeCode, type GradeFilter, gradeFromMetadata, gradePasses, parseGrade, type SourceGrade } from './grade.js';
import { readJsonFile, withFileLock, writeJsonAtomic } from './json-file.js';

export const GRADES_FILE = 'grades.json';
export const GRADES_SCHEMA = 'cairn.grades';
export const GRADES_VERSION = 1;

const entrySchema = z.object({
  grade: z.string().regex(/^[A-F][1-6]$/, 'expected a grade such as B2'),
  setBy: z.string(),
  setAt: z.string(),
  note: z.string().optional(),
});

const gradesFileSchema = z.object({
  schema: z.literal(GRADES_SCHEMA),
  version: z.literal(GRADES_VERSION),
  grades: z.record(z.string().regex(/^[0-9a-f]{64}$/, 'expected a source id (64 hex digits)'), entrySchema),
});

type GradesFile = z.infer<typeof gradesFileSchema>;

export function gradesFile(dataDir: string): string {
  return path.join(dataDir, GRADES_FILE);
}

/** The grades of one data folder, read once; cheap to consult per citation or search hit. */
export class GradeBook {
  private constructor(private readonly entries: ReadonlyMap<string, SourceGrade>) {}

  static async load(dataDir: string): Promise<GradeBook> {
    const file = await readJsonFile(gradesFile(dataDir), gradesFileSchema, 'grades file');
    return new GradeBook(toEntries(file));
  }

  static empty(): GradeBook {
    return new GradeBook(new Map());
  }

  /**
   * The source's grade: the analyst's, else the one its package manifest
   * gave (pass the source, or its metadata, to consult that), else null.
   */
  of(sourceId: string, source?: Pick<Source, 'metadata'>): SourceGrade | null {
    const analyst = this.entries.get(sourceId);
    if (analyst) return analyst;
    const manifest = gradeFromMetadata(source?.metadata);
    return manifest ? { ...manifest, code: gradeCode(manifest), via: 'manifest', setBy: 'package manifest', setAt: '' } : null;
  }

  /** Every analyst-set grade, by source id. */
  analystGrades(): ReadonlyMap<string, SourceGrade> {
    return this.entries;
  }

  /**
   * Ids of the given sources whose grade passes the filter: for a store
   * query (`sourceId IN (...)`), so filtering happens before ranking.
   */
  matching(sources: readonly Pick<Source, 'id' | 'metadata'>[], filter: GradeFilter): string[] {
    return sources.filter((s) => gradePasses(this.of(s.id, s), filter)).map((s) => s.id);
  }
}

function toEntries(file: GradesFile | undefined): Map<string, SourceGrade> {
  const out = new Map<string, SourceGrade>();
  for (const [id, e] of Object.entries(file?.grades ?? {})) {
    const g = parseGrade(e.grade);
    out.set(id, { ...g, code: gradeCode(g), via: 'analyst', setBy: e.setBy, setAt: e.setAt, ...(e.note ? { note: e.note } : {}) });
  }
  return out;
}

/** Reads DATA/grades.json and returns the grade of one source (see GradeBook.of). */
export async function gradeOf(dataDir: string, sourceId: string, source?: Pick<Source, 'metadata'>): Promise<SourceGrade | null> {
  return (await GradeBook.load(dataDir)).of(sourceId, source);
}

/** Keeps the items (search hits, citations...) whose source's grade passes the filter. */
export function filterByGrade<T>(items: readonly T[], sourceIdOf: (item: T) => string, book: GradeBook, filter: GradeFilter, sourcesById?: ReadonlyMap<string, Pick<Source, 'metadata'>>): T[] {
  return items.filter((item) => {
    const id = sourceIdOf(item);
    return gradePasses(book.of(id, sourcesById?.get(id)), filter);
  });
}

export interface GradeDeps {
  dataDir: string;
  actor: string;
  audit: Pick<AuditLog, 'append'>;
  /** The sources the actor may see: one cannot grade what one cannot read. */
  sources: () => Promise<Source[]>;
}

export interface GradeChange {
  source: Pick<Source, 'id' | 'title'>;
  grade: SourceGrade | null;
  previous: SourceGrade | null;
  auditId: string;
}

/** A source by full id or a unique prefix of at least 8 hex digits, among the visible ones. */
export function resolveSource(sources: readonly Source[], ref: string): Source {
  const hex = ref.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(hex)) throw new CairnError('BAD_INPUT', `a source id is 64 hex digits (or at least its first 8), got ${JSON.stringify(ref)}; see \`cairn sources\``, { input: ref });
  const hits = sources.filter((s) => s.id.startsWith(hex));
  if (hits.length === 0) throw new CairnError('NOT_FOUND', `no source ${ref} among the sources you can read; see \`cairn sources\``, { input: ref });
  if (hits.length > 1) throw new CairnError('BAD_INPUT', `source id prefix ${ref} matches ${hits.length} sources; give more digits`, { input: ref });
  return hits[0]!;
}

/**
 * Sets (or, with grade null, clears) a source's grade and records the
 * change in the audit log as `source.grade`.
 */
export async function setSourceGrade(deps: GradeDeps, sourceRef: string, grade: string | null, note?: string): Promise<GradeChange> {
  const parsed: Grade | null = grade === null ? null : parseGrade(grade);
  const source = resolveSource(await deps.sources(), sourceRef);
  const file = gradesFile(deps.dataDir);
  return withFileLock(file, async () => {
    const current = (await readJsonFile(file, gradesFileSchema, 'grades file')) ?? { schema: GRADES_SCHEMA, version: GRADES_VERSION, grades: {} };
    const previous = toEntries(current).get(source.id) ?? null;
    const setAt = new Date().toISOString();
    const grades = { ...current.grades };
    if (parsed) grades[source.id] = { grade: gradeCode(parsed), setBy: deps.actor, setAt, ...(note ? { note } : {}) };
    else delete grades[source.id];
    // Audit first: a grade nobody can account for must not appear.
    const record = await deps.audit.append(deps.actor, 'source.grade', {
      sourceId: source.id,
      title: source.title,
      grade: parsed ? gradeCode(parsed) : null,
      meaning: parsed ? describeGrade(parsed) : 'grade cleared',
      previous: previous?.code ?? null,
      note: note ?? null,
      user: deps.actor,
    });
    await writeJsonAtomic(file, { schema: GRADES_SCHEMA, version: GRADES_VERSION, grades });
    const now: SourceGrade | null = parsed ? { ...parsed, code: gradeCode(parsed), via: 'analyst', setBy: deps.actor, setAt, ...(note ? { note } : {}) } : null;
    return { source: { id: source.id, title: source.title }, grade: now, previous, auditId: record.hash };
  });
}
