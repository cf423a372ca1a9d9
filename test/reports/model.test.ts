import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../main/access/index.js';
import { answerFromRecord } from '../../main/reports/answers.js';
import { hashRecord, type AuditRecord } from '../../main/audit/index.js';
import { buildRenderModel, GradeBook, renderMarkdown, renderPdf, type Report } from '../../main/reports/index.js';
import { loadTemplate } from '../../main/reports/template.js';

const policy = defaultPolicy();
const hex = (c: string): string => c.repeat(64);

function askRecord(seq: number, question: string, sentences: { text: string; chunk: string; quote: string; locator?: unknown }[], banner: string): AuditRecord {
  const citations = sentences.map((s) => ({ sourceId: hex('a'), chunkId: s.chunk, title: 'Feed', page: 1, start: 0, end: s.quote.length, quote: s.quote, ...(s.locator ? { locator: s.locator } : {}) }));
  const payload = {
    question,
    user: 'analyst1',
    answer: sentences.map((s) => s.text).join(' '),
    sentences: sentences.map((s, i) => ({ text: s.text, citations: [citations[i]] })),
    citations,
    banner,
    model: { id: 'cairn-extractive', version: '1', parameters: { minCoverage: 0.45 } },
    retrieved: citations.map((c) => ({ chunkId: c.chunkId, sourceId: c.sourceId, contentHash: hex('0'), score: 1 })),
  };
  const r = { seq, ts: '2031-03-14T06:00:00.000Z', actor: 'analyst1', action: 'ask', payload, prevHash: hex('0') };
  return { ...r, hash: hashRecord(r) };
}

function report(items: Report['items']): Report {
  return { schema: 'cairn.report', version: 1, id: 'unit-report-abc123', title: 'Unit', titleMarking: '(U)', template: 'briefing', createdAt: '', createdBy: 'analyst1', updatedAt: '', items };
}

describe('render model', () => {
  it('rolls the banner up from cited passages and notes (REL TO lists intersect), marks each paragraph, cites tracks and image regions', async () => {
    const a = answerFromRecord(
      askRecord(
        2,
        'Where was the boat?',
        [
          { text: 'Track segment near the pier.', chunk: hex('1'), quote: 'GPX track "Kestrel" 3 positions', locator: { entity: 'Kestrel', t0: '2031-03-14T06:00:00.000Z', t1: '2031-03-14T06:20:00.000Z' } },
          { text: 'A boat in the photo.', chunk: hex('2'), quote: 'boat', locator: { bbox: [10, 20, 110, 220] } },
        ],
        'SECRET//REL TO USA, GBR',
      ),
    );
    const model = buildRenderModel({
      report: report([
        { kind: 'answer', auditId: a.auditId, addedAt: '', addedBy: 'analyst1' },
        { kind: 'note', id: 'n1', text: 'Judgement with *stars* and [brackets].', marking: '(C//REL TO USA, AUS)', addedAt: '', addedBy: 'analyst1' },
      ]),
      template: await loadTemplate('/nonexistent', 'briefing'),
      answers: new Map([[a.auditId, a]]),
      chunkMarkings: new Map([
        [hex('1'), 'SECRET//REL TO USA, GBR'],
        [hex('2'), 'UNCLASSIFIED'],
      ]),
      sources: [],
      grades: GradeBook.empty(),
      policy,
      actor: 'analyst1',
    });
    expect(model.banner).toBe('SECRET//REL TO USA');
    const paras = model.sections[0]!.paragraphs;
    expect(paras.map((p) => p.portion)).toEqual(['(S//REL TO USA, GBR)', '(S//REL TO USA, GBR)', '(U)', '(C//REL TO USA, AUS)']);
    expect(model.footnotes.map((f) => f.place)).toEqual(['track segment Kestrel, 2031-03-14 06:00:00Z to 2031-03-14 06:20:00Z', 'image region x 10-110, y 20-220 px']);
    const md = renderMarkdown(model);
    expect(md).toContain('(C//REL TO USA, AUS) Judgement with \\*stars\\* and \\[brackets\\].');
    expect(md.trim().split('\n').at(-1)).toBe('**SECRET//REL TO USA**');
  });

  it('lays out a paragraph taller than a page, and falls back to Helvetica when no Unicode font is found', async () => {
    const long = Array.from({ length: 1200 }, (_, i) => `word${i}`).join(' ');
    const a = answerFromRecord(askRecord(3, 'Long?', [{ text: `${long}.`, chunk: hex('3'), quote: `Привет ${long}` }], 'UNCLASSIFIED'));
    const model = buildRenderModel({
      report: report([{ kind: 'answer', auditId: a.auditId, addedAt: '', addedBy: 'analyst1' }]),
      template: await loadTemplate('/nonexistent', 'briefing'),
      answers: new Map([[a.auditId, a]]),
      chunkMarkings: new Map([[hex('3'), 'UNCLASSIFIED']]),
      sources: [],
      grades: GradeBook.empty(),
      policy,
      actor: 'analyst1',
    });
    const pdf = await renderPdf(model, { dataDir: '/nonexistent', fonts: { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', unicode: false } });
    const parser = new PDFParse({ data: pdf.bytes });
    const pages = (await parser.getText()).pages.map((p) => p.text.trim().split('\n'));
    await parser.destroy();
    expect(pages.length).toBe(pdf.pages);
    for (const lines of pages) {
      expect(lines[0]).toBe('UNCLASSIFIED');
      expect(lines.at(-1)).toBe('UNCLASSIFIED');
    }
    expect(pages.flat().join(' ')).toContain('“?????? word0');
  });

  it('refuses an edited ask record', () => {
    const r = askRecord(4, 'Q?', [{ text: 'A.', chunk: hex('4'), quote: 'A.' }], 'UNCLASSIFIED');
    expect(() => answerFromRecord({ ...r, payload: { ...(r.payload as object), banner: 'UNCLASSIFIED ' } })).toThrow(/does not match its hash/);
  });
});
