/**
 * Markdown: the banner as the first and last line, a portion marking before
 * every paragraph, citations as Markdown footnotes (`[^1]`), then the
 * annexes. Text is escaped so a quote cannot turn into markup.
 */
import type { RenderModel, RenderParagraph } from './model.js';
import { oneLine } from './places.js';

export function mdEscape(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`);
}

function paragraph(p: RenderParagraph): string {
  const refs = p.notes.map((n) => `[^${n}]`).join('');
  const text = mdEscape(p.text);
  if (p.style === 'question') return `${p.portion} **Question:** *${text}*`;
  if (p.style === 'empty' || p.style === 'unanswered') return `${p.portion} *${text}*${refs}`;
  return `${p.portion} ${text}${refs}`;
}

export function renderMarkdown(m: RenderModel): string {
  const out: string[] = [];
  const banner = `**${m.banner}**`;
  out.push(banner, '', `# ${m.titlePortion} ${mdEscape(m.title)}`, '', `**${mdEscape(m.documentType)}**`, '');
  out.push(`${m.basePortion} Report ${mdEscape(m.reportId)}, template ${mdEscape(m.templateName)}, generated ${m.generatedAt} by ${mdEscape(m.generatedBy)}.`, '');
  for (const s of m.sections) {
    out.push(`## ${mdEscape(s.heading)}`, '');
    for (const p of s.paragraphs) out.push(paragraph(p), '');
  }
  if (m.annexes.sources) {
    out.push('## Annex A: Sources', '');
    if (m.sources.length === 0) out.push(`${m.basePortion} No sources are cited.`, '');
    for (const s of m.sources) {
      out.push(
        `${s.portion} **${s.label}** ${mdEscape(s.title)}: ${s.kind}; grade ${mdEscape(s.gradeText)}; cited in note${s.footnotes.length > 1 ? 's' : ''} ${s.footnotes.join(', ')}. ` +
          `Origin ${mdEscape(s.origin || 'unknown')}, ingested ${s.ingestedAt || 'unknown'}, sha256 \`${s.id}\`.`,
        '',
      );
    }
  }
  if (m.annexes.provenance) {
    out.push(`## Annex ${m.annexes.sources ? 'B' : 'A'}: Provenance`, '');
    if (m.provenance.length === 0) out.push(`${m.basePortion} The report holds no answers.`, '');
    for (const p of m.provenance) {
      out.push(
        `${p.portion} **${p.label}** audit id \`${p.auditId}\` (seq ${p.seq}), asked by ${mdEscape(p.askedBy)} at ${p.askedAt}: *${mdEscape(p.question)}* ` +
          `Model ${mdEscape(p.model)}; settings ${mdEscape(p.settings)}. Retrieval ${mdEscape(p.retrieval)}. ` +
          `Recorded banner ${mdEscape(p.recordedBanner)}; ${p.citations} citation(s); in section ${mdEscape(p.section)}.`,
        '',
      );
    }
  }
  for (const f of m.footnotes) {
    out.push(`[^${f.n}]: ${f.portion} ${mdEscape(f.sourceTitle)} [${f.sourceLabel}], ${mdEscape(f.place)}; grade ${f.grade ?? 'ungraded'}: “${mdEscape(f.quote)}”`);
  }
  if (m.footnotes.length > 0) out.push('');
  out.push(banner, '');
  return out.join('\n');
}
