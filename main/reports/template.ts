/**
 * Report templates: which sections a report has, in which order, where
 * answers and notes go by default, and which annexes follow. A template is
 * a JSON file; the built-ins ship in ./templates/, and an administrator adds
 * or overrides one by dropping `<id>.json` in DATA/templates/. Every file is
 * validated when it is loaded, and a bad one is refused naming the file and
 * the problem, never half-used.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { describeIssues, readJsonFile } from './json-file.js';
import briefingJson from './templates/briefing.json' with { type: 'json' };
import intsumJson from './templates/intsum.json' with { type: 'json' };

export const TEMPLATE_SCHEMA = 'cairn.report-template';
export const TEMPLATE_VERSION = 1;
export const TEMPLATES_DIR = 'templates';
export const DEFAULT_TEMPLATE = 'intsum';

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const itemKind = z.enum(['answer', 'note']);

const sectionSchema = z.strictObject({
  id: z.string().regex(TEMPLATE_ID, 'a section id is lower-case letters, digits and dashes'),
  heading: z.string().trim().min(1, 'a section needs a heading'),
  /** What may be placed in it. */
  accepts: z.array(itemKind).min(1, 'a section must accept answers, notes or both').default(['answer', 'note']),
  /** Answers that found no evidence land here unless placed elsewhere explicitly (a gaps section). */
  unanswered: z.boolean().default(false),
  /** Printed when nothing is in the section; absent: the section is left out when empty. */
  emptyText: z.string().optional(),
  /** For whoever fills the report in; never printed. */
  guidance: z.string().optional(),
});

export const templateSchema = z
  .strictObject({
    schema: z.literal(TEMPLATE_SCHEMA, { error: `"schema" must be "${TEMPLATE_SCHEMA}"` }),
    version: z.literal(TEMPLATE_VERSION, { error: `"version" must be ${TEMPLATE_VERSION} (this Cairn reads template version ${TEMPLATE_VERSION})` }),
    id: z.string().regex(TEMPLATE_ID, 'a template id is lower-case letters, digits and dashes (at most 64)'),
    name: z.string().trim().min(1),
    /** Printed under the title, e.g. "INTELLIGENCE SUMMARY". */
    documentType: z.string().optional(),
    description: z.string().optional(),
    sections: z.array(sectionSchema).min(1, 'a template needs at least one section'),
    defaults: z.strictObject({ answer: z.string(), note: z.string() }),
    annexes: z.strictObject({ sources: z.boolean().default(true), provenance: z.boolean().default(true) }).default({ sources: true, provenance: true }),
    page: z.strictObject({ size: z.enum(['A4', 'LETTER']).default('A4') }).default({ size: 'A4' }),
  })
  .superRefine((t, ctx) => {
    const ids = t.sections.map((s) => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `section id "${id}" is used twice` });
    });
    for (const kind of ['answer', 'note'] as const) {
      const target = t.sections.find((s) => s.id === t.defaults[kind]);
      if (!target) ctx.addIssue({ code: 'custom', path: ['defaults', kind], message: `"${t.defaults[kind]}" is not one of the sections (${ids.join(', ')})` });
      else if (!target.accepts.includes(kind)) ctx.addIssue({ code: 'custom', path: ['defaults', kind], message: `section "${target.id}" does not accept ${kind}s` });
    }
    const gaps = t.sections.filter((s) => s.unanswered);
    if (gaps.length > 1) ctx.addIssue({ code: 'custom', path: ['sections'], message: 'only one section may collect unanswered questions' });
    gaps.forEach((s) => {
      if (!s.accepts.includes('answer')) ctx.addIssue({ code: 'custom', path: ['sections', t.sections.indexOf(s), 'unanswered'], message: `section "${s.id}" collects unanswered questions but does not accept answers` });
    });
  });

export type ReportTemplate = z.infer<typeof templateSchema>;
export type TemplateSection = ReportTemplate['sections'][number];

export interface TemplateInfo {
  id: string;
  name: string;
  origin: 'built-in' | string;
  /** Set when an administrator's file is invalid: why. */
  error?: string;
}

function builtIns(): Map<string, ReportTemplate> {
  const out = new Map<string, ReportTemplate>();
  for (const raw of [intsumJson, briefingJson]) {
    const t = templateSchema.parse(raw);
    out.set(t.id, t);
  }
  return out;
}

/** Validates template JSON; `origin` (a file path) is named in the error. */
export function parseTemplate(json: unknown, origin: string): ReportTemplate {
  const r = templateSchema.safeParse(json);
  if (!r.success) throw new CairnError('BAD_INPUT', `report template ${origin} is invalid: ${describeIssues(r.error)}`, { input: origin });
  return r.data;
}

/** Reads and validates one template file. */
export async function loadTemplateFile(file: string): Promise<ReportTemplate> {
  const t = await readJsonFile(file, z.unknown(), 'report template');
  if (t === undefined) throw new CairnError('NOT_FOUND', `no template file ${file}`, { input: file });
  const parsed = parseTemplate(t, file);
  const stem = path.basename(file, '.json');
  if (stem !== parsed.id) throw new CairnError('BAD_INPUT', `report template ${file} is invalid: its id is "${parsed.id}" but the file is named ${stem}.json; name the file after the id`, { input: file });
  return parsed;
}

export function templatesDir(dataDir: string): string {
  return path.join(dataDir, TEMPLATES_DIR);
}

/** The template with this id: DATA/templates/<id>.json if present (validated), else a built-in. */
export async function loadTemplate(dataDir: string, id: string): Promise<ReportTemplate> {
  if (!TEMPLATE_ID.test(id)) throw new CairnError('BAD_INPUT', `not a template id: ${JSON.stringify(id)}`, { input: id });
  const file = path.join(templatesDir(dataDir), `${id}.json`);
  try {
    return await loadTemplateFile(file);
  } catch (e) {
    if (!(e instanceof CairnError && e.code === 'NOT_FOUND')) throw e;
  }
  const builtin = builtIns().get(id);
  if (builtin) return builtin;
  const known = (await listTemplates(dataDir)).filter((t) => !t.error).map((t) => t.id);
  throw new CairnError('NOT_FOUND', `no report template "${id}"; available: ${known.join(', ')}`, { input: id });
}

/** Built-ins and the administrator's templates (overriding built-ins of the same id), each with its problem if invalid. */
export async function listTemplates(dataDir: string): Promise<TemplateInfo[]> {
  const out = new Map<string, TemplateInfo>();
  for (const t of builtIns().values()) out.set(t.id, { id: t.id, name: t.name, origin: 'built-in' });
  let names: string[] = [];
  try {
    names = (await readdir(templatesDir(dataDir))).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  for (const n of names) {
    const file = path.join(templatesDir(dataDir), n);
    try {
      const t = await loadTemplateFile(file);
      out.set(t.id, { id: t.id, name: t.name, origin: file });
    } catch (e) {
      const id = path.basename(n, '.json');
      out.set(`${id}\u0000invalid`, { id, name: '(invalid)', origin: file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return [...out.values()];
}

/** Where an item goes: the section asked for (checked), else the template's default for its kind. */
export function sectionFor(template: ReportTemplate, kind: 'answer' | 'note', requested?: string): TemplateSection {
  const id = requested ?? template.defaults[kind];
  const s = template.sections.find((x) => x.id === id);
  if (!s) throw new CairnError('BAD_INPUT', `template "${template.id}" has no section "${id}"; its sections are ${template.sections.map((x) => x.id).join(', ')}`, { input: id });
  if (!s.accepts.includes(kind)) throw new CairnError('BAD_INPUT', `section "${s.id}" of template "${template.id}" does not take ${kind}s`, { input: id });
  return s;
}
