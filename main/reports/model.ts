/**
 * The render model: a report resolved into what every output format prints
 * (sections of portion-marked paragraphs, numbered footnotes, a sources
 * annex, a provenance annex) and the overall banner, which is the roll-up
 * of every portion on the page. Pure: the caller fetches answers, markings,
 * sources and grades; the PDF, DOCX and Markdown writers only lay this out.
 */
import { defaultMarking, findPortionMarkings, formatBanner, formatPortion, type Marking, type MarkingPolicy, parseMarking, rollUp } from '../access/index.js';
import type { Citation, Source } from '../core/types.js';
import type { RecordedAnswer } from './answers.js';
import { describeGrade, type SourceGrade } from './grade.js';
import type { GradeBook } from './grade-book.js';
import { placeOf } from './places.js';
import type { Report } from './report-file.js';
import type { ReportTemplate, TemplateSection } from './template.js';

export type ParagraphStyle = 'question' | 'answer' | 'note' | 'unanswered' | 'empty';

export interface RenderParagraph {
  /** Canonical portion marking, e.g. `(S//NF)`. */
  portion: string;
  text: string;
  style: ParagraphStyle;
  /** Footnote numbers this paragraph cites, in order. */
  notes: number[];
}

export interface RenderSection {
  id: string;
  heading: string;
  paragraphs: RenderParagraph[];
}

export interface RenderFootnote {
  n: number;
  portion: string;
  /** Sources-annex label, `S1`. */
  sourceLabel: string;
  sourceTitle: string;
  place: string;
  grade: string | null;
  quote: string;
  sourceId: string;
  chunkId: string;
}

export interface RenderSource {
  label: string;
  portion: string;
  title: string;
  kind: string;
  origin: string;
  ingestedAt: string;
  id: string;
  grade: SourceGrade | null;
  gradeText: string;
  footnotes: number[];
}

export interface RenderProvenance {
  label: string;
  portion: string;
  auditId: string;
  seq: number;
  askedAt: string;
  askedBy: string;
  question: string;
  model: string;
  settings: string;
  retrieval: string;
  recordedBanner: string;
  citations: number;
  section: string;
}

export interface RenderModel {
  reportId: string;
  title: string;
  titlePortion: string;
  documentType: string;
  templateId: string;
  templateName: string;
  generatedAt: string;
  generatedBy: string;
  /** Portion of administrative lines (the policy's lowest level). */
  basePortion: string;
  banner: string;
  sections: RenderSection[];
  footnotes: RenderFootnote[];
  sources: RenderSource[];
  provenance: RenderProvenance[];
  annexes: { sources: boolean; provenance: boolean };
  pageSize: 'A4' | 'LETTER';
  /** Audit ids of the answers, in report order. */
  answerIds: string[];
  notes: number;
}

export interface ModelInputs {
  report: Report;
  template: ReportTemplate;
  answers: ReadonlyMap<string, RecordedAnswer>;
  chunkMarkings: ReadonlyMap<string, string>;
  sources: readonly Source[];
  grades: GradeBook;
  policy: MarkingPolicy;
  actor: string;
  now?: Date;
}

/** Compact `key=value` list of a settings object, for print. */
export function settingsText(o: Record<string, unknown> | undefined): string {
  if (!o || Object.keys(o).length === 0) return 'none recorded';
  return Object.entries(o)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

export function buildRenderModel(inp: ModelInputs): RenderModel {
  const { policy } = inp;
  const parse = (m: string): Marking => parseMarking(m, policy);
  const portionOf = (ms: readonly Marking[]): string => formatPortion(rollUp(ms, policy));
  const all: Marking[] = [];
  const base = defaultMarking(policy);
  const sourcesById = new Map(inp.sources.map((s) => [s.id, s]));

  const footnotes: RenderFootnote[] = [];
  const footnoteByKey = new Map<string, RenderFootnote>();
  const sourceLabels = new Map<string, string>();
  const footnoteFor = (c: Citation, fallback: string): RenderFootnote => {
    const key = `${c.chunkId}:${c.start}:${c.end}`;
    const known = footnoteByKey.get(key);
    if (known) return known;
    let label = sourceLabels.get(c.sourceId);
    if (!label) sourceLabels.set(c.sourceId, (label = `S${sourceLabels.size + 1}`));
    const src = sourcesById.get(c.sourceId);
    const grade = inp.grades.of(c.sourceId, src);
    // Callers check readability first; should a marking still be missing, the answer's recorded banner stands in (never lower).
    const marking = parse(inp.chunkMarkings.get(c.chunkId) ?? fallback);
    all.push(marking);
    const note: RenderFootnote = {
      n: footnotes.length + 1,
      portion: formatPortion(marking),
      sourceLabel: label,
      sourceTitle: src?.title ?? c.title,
      place: placeOf(c),
      grade: grade?.code ?? null,
      quote: c.quote,
      sourceId: c.sourceId,
      chunkId: c.chunkId,
    };
    footnotes.push(note);
    footnoteByKey.set(key, note);
    return note;
  };

  const sections: RenderSection[] = inp.template.sections.map((s) => ({ id: s.id, heading: s.heading, paragraphs: [] }));
  const sectionOf = (id: string): RenderSection => sections.find((s) => s.id === id) ?? sections[0]!;
  const gaps = inp.template.sections.find((s) => s.unanswered);
  const provenance: RenderProvenance[] = [];

  for (const item of inp.report.items) {
    if (item.kind === 'note') {
      const m = parse(item.marking);
      all.push(m);
      sectionOf(item.section ?? inp.template.defaults.note).paragraphs.push({ portion: formatPortion(m), text: item.text, style: 'note', notes: [] });
      continue;
    }
    const a = inp.answers.get(item.auditId);
    if (!a) continue;
    const answered = a.sentences.some((s) => s.citations.length > 0);
    const target: TemplateSection | undefined = item.section ? inp.template.sections.find((s) => s.id === item.section) : !answered && gaps ? gaps : undefined;
    const section = sectionOf(target?.id ?? inp.template.defaults.answer);
    const recorded = parse(a.payload.banner);
    all.push(recorded);
    const paras: RenderParagraph[] = [];
    const sentenceMarkings: Marking[] = [recorded];
    for (const s of answered ? a.sentences : []) {
      const notes = s.citations.map((c) => footnoteFor(c, a.payload.banner));
      const own = embeddedMarkings(s.text, policy);
      const ms = [...notes.map((n) => parse(n.portion)), ...own.markings];
      sentenceMarkings.push(...ms);
      all.push(...ms);
      paras.push({ portion: portionOf(ms), text: own.text, style: 'answer', notes: notes.map((n) => n.n) });
    }
    const answerPortion = portionOf(sentenceMarkings);
    section.paragraphs.push({ portion: answerPortion, text: a.payload.question, style: 'question', notes: [] });
    if (answered) section.paragraphs.push(...paras);
    else section.paragraphs.push({ portion: answerPortion, text: a.payload.answer, style: 'unanswered', notes: [] });
    const model = a.payload.model;
    provenance.push({
      label: `A${provenance.length + 1}`,
      portion: answerPortion,
      auditId: a.auditId,
      seq: a.seq,
      askedAt: a.ts,
      askedBy: a.payload.user ?? a.actor,
      question: a.payload.question,
      model: model ? `${model.id}${model.version ? ` version ${model.version}` : ''}` : 'not recorded',
      settings: settingsText(model?.parameters) + (a.payload.promptHash ? `; prompt sha256 ${a.payload.promptHash}` : ''),
      retrieval: `${settingsText(a.payload.retrieval)}; ${a.payload.retrieved.length} passage(s) retrieved`,
      recordedBanner: a.payload.banner,
      citations: a.citations.length,
      section: section.heading,
    });
  }

  for (const s of inp.template.sections) {
    const sec = sectionOf(s.id);
    if (sec.paragraphs.length === 0 && s.emptyText) sec.paragraphs.push({ portion: formatPortion(base), text: s.emptyText, style: 'empty', notes: [] });
  }

  const sources: RenderSource[] = [...sourceLabels].map(([id, label]) => {
    const src = sourcesById.get(id);
    const notes = footnotes.filter((f) => f.sourceId === id);
    const grade = inp.grades.of(id, src);
    return {
      label,
      portion: portionOf(notes.map((n) => parse(n.portion))),
      title: src?.title ?? notes[0]?.sourceTitle ?? id,
      kind: src?.kind ?? 'unknown',
      origin: src?.origin ?? '',
      ingestedAt: src?.ingestedAt ?? '',
      id,
      grade,
      gradeText: grade ? `${describeGrade(grade)}${grade.via === 'manifest' ? ', from the package manifest' : `, graded by ${grade.setBy}`}` : 'ungraded',
      footnotes: notes.map((n) => n.n),
    };
  });

  const title = parse(inp.report.titleMarking);
  all.push(title, base);
  return {
    reportId: inp.report.id,
    title: inp.report.title,
    titlePortion: formatPortion(title),
    documentType: inp.template.documentType ?? inp.template.name.toUpperCase(),
    templateId: inp.template.id,
    templateName: inp.template.name,
    generatedAt: (inp.now ?? new Date()).toISOString(),
    generatedBy: inp.actor,
    basePortion: formatPortion(base),
    banner: formatBanner(rollUp(all, policy)),
    sections: sections.filter((s) => s.paragraphs.length > 0),
    footnotes,
    sources,
    provenance,
    annexes: { sources: inp.template.annexes.sources, provenance: inp.template.annexes.provenance },
    pageSize: inp.template.page.size,
    answerIds: inp.report.items.filter((i) => i.kind === 'answer').map((i) => i.auditId),
    notes: inp.report.items.filter((i) => i.kind === 'note').length,
  };
}

/**
 * Portion markings the quoted text itself carries (`(S//NF) The convoy...`):
 * they count towards the paragraph's marking, and a leading one is lifted
 * off the text because the paragraph gets its own. A malformed one stays in
 * the text; the passage's stored marking already covers it.
 */
function embeddedMarkings(text: string, policy: MarkingPolicy): { text: string; markings: Marking[] } {
  let found: ReturnType<typeof findPortionMarkings>;
  try {
    found = findPortionMarkings(text, policy);
  } catch {
    return { text, markings: [] };
  }
  const lead = found[0];
  const stripped = lead && text.slice(0, lead.start).trim() === '' ? text.slice(lead.end).trim() : text;
  return { text: stripped === '' ? text : stripped, markings: found.map((f) => f.marking) };
}
