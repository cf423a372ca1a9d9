/**
 * A report on disk: DATA/reports/<id>.json, a versioned document holding the
 * report's title, template and ordered items. Answers are held by auditId
 * only: their words, citations and banner are read from the audit log's
 * `ask` record at render time, so a report can never drift from what Cairn
 * actually answered.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { readJsonFile, withFileLock, writeJsonAtomic } from './json-file.js';

export const REPORTS_DIR = 'reports';
export const REPORT_SCHEMA = 'cairn.report';
export const REPORT_VERSION = 1;

const REPORT_ID = /^[a-z0-9][a-z0-9-]{2,80}$/;
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected an audit id (64 hex digits)');

const itemBase = {
  /** Template section id; absent: the template's default for the item's kind. */
  section: z.string().optional(),
  addedAt: z.string(),
  addedBy: z.string(),
};

export const answerItemSchema = z.object({ kind: z.literal('answer'), auditId: hex64, ...itemBase });
export const noteItemSchema = z.object({
  kind: z.literal('note'),
  id: z.string().min(1),
  text: z.string().min(1),
  /** Canonical portion form, e.g. `(S//NF)`. */
  marking: z.string().min(1),
  ...itemBase,
});

export const reportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  version: z.number().int().refine((v) => v <= REPORT_VERSION, { message: `written by a newer Cairn (this one reads report version ${REPORT_VERSION})` }),
  id: z.string().regex(REPORT_ID),
  title: z.string().min(1),
  /** Portion marking of the title, canonical, e.g. `(U)`. */
  titleMarking: z.string().min(1),
  template: z.string().min(1),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  items: z.array(z.discriminatedUnion('kind', [answerItemSchema, noteItemSchema])),
});

export type Report = z.infer<typeof reportSchema>;
export type ReportItem = Report['items'][number];
export type AnswerItem = z.infer<typeof answerItemSchema>;
export type NoteItem = z.infer<typeof noteItemSchema>;

export function reportsDir(dataDir: string): string {
  return path.join(dataDir, REPORTS_DIR);
}

function reportPath(dataDir: string, id: string): string {
  if (!REPORT_ID.test(id)) throw new CairnError('BAD_INPUT', `not a report id: ${JSON.stringify(id)}; see \`cairn report list\``, { input: id });
  return path.join(reportsDir(dataDir), `${id}.json`);
}

/** `intsum-harbour-watch-3f9a1c`: readable, and unique by its random tail. */
export function newReportId(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'report'}-${randomBytes(3).toString('hex')}`;
}

export async function listReports(dataDir: string): Promise<Report[]> {
  let names: string[];
  try {
    names = (await readdir(reportsDir(dataDir))).filter((n) => n.endsWith('.json'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: Report[] = [];
  for (const n of names) {
    const r = await readJsonFile(path.join(reportsDir(dataDir), n), reportSchema, 'report');
    if (r) out.push(r);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A report by id, or by a unique prefix of one. */
export async function loadReport(dataDir: string, ref: string): Promise<Report> {
  const id = await resolveReportId(dataDir, ref);
  const r = await readJsonFile(reportPath(dataDir, id), reportSchema, 'report');
  if (!r) throw new CairnError('NOT_FOUND', `no report ${ref}; see \`cairn report list\``, { input: ref });
  return r;
}

async function resolveReportId(dataDir: string, ref: string): Promise<string> {
  const want = ref.trim();
  let names: string[] = [];
  try {
    names = (await readdir(reportsDir(dataDir))).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (names.includes(want)) return want;
  const hits = names.filter((n) => n.startsWith(want));
  if (hits.length === 1 && want.length >= 3) return hits[0]!;
  if (hits.length > 1) throw new CairnError('BAD_INPUT', `report ${ref} is ambiguous (${hits.slice(0, 5).join(', ')}); give the full id`, { input: ref });
  throw new CairnError('NOT_FOUND', `no report ${ref}; see \`cairn report list\``, { input: ref });
}

export async function createReportFile(dataDir: string, report: Report): Promise<void> {
  const file = reportPath(dataDir, report.id);
  await withFileLock(file, async () => {
    if (await readJsonFile(file, z.unknown(), 'report')) throw new CairnError('BAD_INPUT', `report ${report.id} already exists`, { input: report.id });
    await writeJsonAtomic(file, reportSchema.parse(report));
  });
}

/** Read-modify-write of one report under its lock. */
export async function updateReport(dataDir: string, ref: string, change: (r: Report) => Report | Promise<Report>): Promise<Report> {
  const id = await resolveReportId(dataDir, ref);
  const file = reportPath(dataDir, id);
  return withFileLock(file, async () => {
    const current = await readJsonFile(file, reportSchema, 'report');
    if (!current) throw new CairnError('NOT_FOUND', `no report ${ref}`, { input: ref });
    const next = reportSchema.parse({ ...(await change(current)), version: REPORT_VERSION, updatedAt: new Date().toISOString() });
    await writeJsonAtomic(file, next);
    return next;
  });
}
