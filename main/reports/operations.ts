/**
 * The report operations every transport calls (CLI `cairn report ...`, the
 * HTTP API, the desktop UI): create, add an answer, add a note, list,
 * render. Changes are recorded in the audit log (`report.create`,
 * `report.add`, `report.note`, `report.render`), a render with the output
 * file's sha256 and the answers it holds.
 */
import { defaultMarking, formatPortion, parseMarking } from '../access/index.js';
import { CairnError } from '../core/errors.js';
import { assertReadable, citedChunkIds, loadAnswer, type RecordedAnswer } from './answers.js';
import type { ProductDeps } from './deps.js';
import { GradeBook } from './grade-book.js';
import { buildRenderModel, type RenderModel } from './model.js';
import { writeProduct } from './output.js';
import { renderDocx } from './render-docx.js';
import { renderMarkdown } from './render-md.js';
import { renderPdf } from './render-pdf.js';
import { createReportFile, listReports, loadReport, newReportId, type Report, REPORT_SCHEMA, REPORT_VERSION, updateReport } from './report-file.js';
import { DEFAULT_TEMPLATE, loadTemplate, sectionFor } from './template.js';

export type ReportFormat = 'pdf' | 'docx' | 'md';
export const REPORT_FORMATS: readonly ReportFormat[] = ['pdf', 'docx', 'md'];

export type ReportDeps = Pick<ProductDeps, 'dataDir' | 'actor' | 'policy' | 'audit' | 'sources' | 'chunkMarkings'>;

export async function createReport(deps: ReportDeps, input: { title: string; template?: string; titleMarking?: string }): Promise<Report> {
  const title = input.title.trim();
  if (title === '') throw new CairnError('BAD_INPUT', 'a report needs a title (--title)', { input: input.title });
  const template = await loadTemplate(deps.dataDir, input.template ?? DEFAULT_TEMPLATE);
  const titleMarking = formatPortion(input.titleMarking === undefined ? defaultMarking(deps.policy) : parseMarking(input.titleMarking, deps.policy));
  const now = new Date().toISOString();
  const report: Report = { schema: REPORT_SCHEMA, version: REPORT_VERSION, id: newReportId(title), title, titleMarking, template: template.id, createdAt: now, createdBy: deps.actor, updatedAt: now, items: [] };
  await createReportFile(deps.dataDir, report);
  await deps.audit.append(deps.actor, 'report.create', { reportId: report.id, title, titleMarking, template: template.id, user: deps.actor });
  return report;
}

/** Adds an answer (by auditId or a unique prefix) after checking the record and that the user may read what it cites. */
export async function addAnswer(deps: ReportDeps, reportRef: string, answerId: string, section?: string): Promise<Report> {
  const answer = await loadAnswer(deps.audit, answerId);
  assertReadable([answer], await deps.chunkMarkings(citedChunkIds([answer])));
  const current = await loadReport(deps.dataDir, reportRef);
  const template = await loadTemplate(deps.dataDir, current.template);
  if (section !== undefined) sectionFor(template, 'answer', section);
  const report = await updateReport(deps.dataDir, current.id, (r) => {
    if (r.items.some((i) => i.kind === 'answer' && i.auditId === answer.auditId)) {
      throw new CairnError('BAD_INPUT', `answer ${answer.auditId.slice(0, 12)} is already in report ${r.id}`, { input: answerId });
    }
    return { ...r, items: [...r.items, { kind: 'answer', auditId: answer.auditId, addedAt: new Date().toISOString(), addedBy: deps.actor, ...(section ? { section } : {}) }] };
  });
  await deps.audit.append(deps.actor, 'report.add', { reportId: report.id, answer: answer.auditId, question: answer.payload.question, banner: answer.payload.banner, section: section ?? null, user: deps.actor });
  return report;
}

/** Adds an analyst's note with its own portion marking (banner or portion form; stored as a portion). */
export async function addNote(deps: ReportDeps, reportRef: string, text: string, marking: string, section?: string): Promise<Report> {
  if (text.trim() === '') throw new CairnError('BAD_INPUT', 'a note needs some text', { input: text });
  const portion = formatPortion(parseMarking(marking, deps.policy));
  const current = await loadReport(deps.dataDir, reportRef);
  const template = await loadTemplate(deps.dataDir, current.template);
  if (section !== undefined) sectionFor(template, 'note', section);
  let noteId = '';
  const report = await updateReport(deps.dataDir, current.id, (r) => {
    noteId = `n${r.items.filter((i) => i.kind === 'note').length + 1}`;
    return { ...r, items: [...r.items, { kind: 'note', id: noteId, text: text.trim(), marking: portion, addedAt: new Date().toISOString(), addedBy: deps.actor, ...(section ? { section } : {}) }] };
  });
  await deps.audit.append(deps.actor, 'report.note', { reportId: report.id, noteId, marking: portion, text: text.trim(), section: section ?? null, user: deps.actor });
  return report;
}

export interface ReportSummary {
  id: string;
  title: string;
  template: string;
  answers: number;
  notes: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export async function listReportSummaries(deps: Pick<ReportDeps, 'dataDir'>): Promise<ReportSummary[]> {
  return (await listReports(deps.dataDir)).map((r) => ({
    id: r.id,
    title: r.title,
    template: r.template,
    answers: r.items.filter((i) => i.kind === 'answer').length,
    notes: r.items.filter((i) => i.kind === 'note').length,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
  }));
}

/** Resolves a report into its render model: answers from the audit log, markings, sources, grades. */
export async function reportModel(deps: ReportDeps, reportRef: string, now?: Date): Promise<RenderModel> {
  const report = await loadReport(deps.dataDir, reportRef);
  const template = await loadTemplate(deps.dataDir, report.template);
  const answers = new Map<string, RecordedAnswer>();
  for (const item of report.items) if (item.kind === 'answer') answers.set(item.auditId, await loadAnswer(deps.audit, item.auditId));
  const markings = await deps.chunkMarkings(citedChunkIds([...answers.values()]));
  assertReadable([...answers.values()], markings);
  const [sources, grades] = await Promise.all([deps.sources(), GradeBook.load(deps.dataDir)]);
  return buildRenderModel({ report, template, answers, chunkMarkings: markings, sources, grades, policy: deps.policy, actor: deps.actor, now });
}

export interface RenderResult {
  reportId: string;
  format: ReportFormat;
  file: string;
  sha256: string;
  bytes: number;
  banner: string;
  pages: number | null;
  answers: string[];
  auditId: string;
}

export async function renderReport(deps: ReportDeps, reportRef: string, opts: { format: ReportFormat; out: string }): Promise<RenderResult> {
  if (!REPORT_FORMATS.includes(opts.format)) throw new CairnError('BAD_INPUT', `unknown report format ${JSON.stringify(opts.format)}; use ${REPORT_FORMATS.join(', ')}`, { input: String(opts.format) });
  const model = await reportModel(deps, reportRef);
  let data: Uint8Array | string;
  let pages: number | null = null;
  if (opts.format === 'pdf') {
    const pdf = await renderPdf(model, { dataDir: deps.dataDir });
    data = pdf.bytes;
    pages = pdf.pages;
  } else if (opts.format === 'docx') data = await renderDocx(model);
  else data = renderMarkdown(model);
  const written = await writeProduct(opts.out, data);
  const record = await deps.audit.append(deps.actor, 'report.render', {
    reportId: model.reportId,
    title: model.title,
    template: model.templateId,
    format: opts.format,
    file: written.file,
    sha256: written.sha256,
    bytes: written.bytes,
    pages,
    banner: model.banner,
    answers: model.answerIds,
    notes: model.notes,
    sources: model.sources.map((s) => s.id),
    user: deps.actor,
  });
  return { reportId: model.reportId, format: opts.format, ...written, banner: model.banner, pages, answers: model.answerIds, auditId: record.hash };
}
