/**
 * Word (.docx) with the `docx` package: the banner in the page header and
 * footer (so Word repeats it on every page), a portion marking before every
 * paragraph, citations as real Word footnotes, then the annexes. Word
 * numbers footnotes by reference, so a passage cited twice gets two notes
 * with the same text; the sources annex lists Word's numbers.
 */
import { AlignmentType, Document, FootnoteReferenceRun, Footer, Header, HeadingLevel, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { RenderFootnote, RenderModel, RenderParagraph } from './model.js';
import { oneLine } from './places.js';

const PAGE = { A4: { width: 11906, height: 16838 }, LETTER: { width: 12240, height: 15840 } } as const;
const GREY = '444444';

function bannerParagraph(banner: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: banner, bold: true, size: 22 })] });
}

function noteParagraph(f: RenderFootnote): Paragraph {
  return new Paragraph({
    children: [
      new TextRun({ text: `${f.portion} `, bold: true }),
      new TextRun({ text: `${f.sourceTitle} [${f.sourceLabel}], ${f.place}; grade ${f.grade ?? 'ungraded'}: ` }),
      new TextRun({ text: `“${oneLine(f.quote)}”` }),
    ],
  });
}

export async function renderDocx(m: RenderModel): Promise<Buffer> {
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  const wordNumbers = new Map<number, number[]>();
  let nextId = 1;
  const refs = (p: RenderParagraph): FootnoteReferenceRun[] =>
    p.notes.map((n) => {
      const id = nextId++;
      footnotes[String(id)] = { children: [noteParagraph(m.footnotes[n - 1]!)] };
      wordNumbers.set(n, [...(wordNumbers.get(n) ?? []), id]);
      return new FootnoteReferenceRun(id);
    });

  const para = (p: RenderParagraph): Paragraph => {
    const lead = new TextRun({ text: `${p.portion} `, bold: true });
    const text = oneLine(p.text);
    if (p.style === 'question') return new Paragraph({ spacing: { before: 160, after: 60 }, keepNext: true, children: [lead, new TextRun({ text: 'Question: ', bold: true }), new TextRun({ text, italics: true })] });
    const body = p.style === 'answer' || p.style === 'note' ? new TextRun({ text }) : new TextRun({ text, italics: true, color: GREY });
    return new Paragraph({ spacing: { after: 120 }, children: [lead, body, ...refs(p)] });
  };

  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: `${m.titlePortion} ${m.title}` })] }),
    new Paragraph({ children: [new TextRun({ text: m.documentType, bold: true, color: GREY })] }),
    new Paragraph({
      spacing: { after: 240 },
      children: [new TextRun({ text: `${m.basePortion} `, bold: true, size: 17 }), new TextRun({ text: `Report ${m.reportId}, template ${m.templateName}, generated ${m.generatedAt} by ${m.generatedBy}.`, size: 17, color: GREY })],
    }),
  ];
  for (const s of m.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, keepNext: true, children: [new TextRun({ text: s.heading })] }));
    for (const p of s.paragraphs) children.push(para(p));
  }

  let annex = 0;
  const annexHeading = (name: string): Paragraph => new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun({ text: `Annex ${String.fromCharCode(65 + annex++)}: ${name}` })] });
  const entry = (portion: string, label: string, lead: string, detail: string, italicLead = false): Paragraph =>
    new Paragraph({
      spacing: { after: 120 },
      children: [new TextRun({ text: `${portion} ${label} `, bold: true }), new TextRun({ text: `${lead} `, italics: italicLead }), new TextRun({ text: detail, color: GREY, size: 18 })],
    });
  if (m.annexes.sources) {
    children.push(annexHeading('Sources'));
    if (m.sources.length === 0) children.push(entry(m.basePortion, '', 'No sources are cited.', ''));
    for (const s of m.sources) {
      const notes = s.footnotes.flatMap((n) => wordNumbers.get(n) ?? []);
      children.push(entry(s.portion, s.label, `${s.title}.`, `Kind ${s.kind}; grade ${s.gradeText}; cited in note${notes.length > 1 ? 's' : ''} ${notes.join(', ')}. Origin ${s.origin || 'unknown'}, ingested ${s.ingestedAt || 'unknown'}, sha256 ${s.id}.`));
    }
  }
  if (m.annexes.provenance) {
    children.push(annexHeading('Provenance'));
    if (m.provenance.length === 0) children.push(entry(m.basePortion, '', 'The report holds no answers.', ''));
    for (const p of m.provenance) {
      children.push(
        entry(p.portion, p.label, p.question, `Audit id ${p.auditId} (seq ${p.seq}); asked by ${p.askedBy} at ${p.askedAt}. Model ${p.model}; settings ${p.settings}. Retrieval ${p.retrieval}. Recorded banner ${p.recordedBanner}; ${p.citations} citation(s); section ${p.section}.`, true),
      );
    }
  }

  const doc = new Document({
    creator: m.generatedBy,
    title: m.title,
    subject: m.banner,
    keywords: m.banner,
    description: `${m.documentType}, ${m.reportId}`,
    styles: { default: { document: { run: { font: 'Calibri', size: 21 } } } },
    footnotes,
    sections: [
      {
        properties: { page: { size: PAGE[m.pageSize], margin: { top: 1300, bottom: 1300, left: 1134, right: 1134, header: 560, footer: 560 } } },
        headers: { default: new Header({ children: [bannerParagraph(m.banner)] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES, `  |  ${m.reportId}`], size: 15, color: '555555' })] }),
              bannerParagraph(m.banner),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
