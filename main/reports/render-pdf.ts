/**
 * PDF with pdfkit. Every page carries the overall banner at its top (drawn
 * when the page is added) and bottom (drawn after layout, with the page
 * number, so it is also the last text on the page), every paragraph starts
 * with its portion marking, and citations are footnotes at the foot of
 * every page that cites them. Layout is by blocks: each block (a paragraph and
 * the footnotes it introduces) is measured and moved whole to the next page
 * when it does not fit above the footnotes already placed.
 */
import PDFDocument from 'pdfkit';
import { findPdfFonts, type PdfFonts, toWinAnsi } from './fonts.js';
import type { RenderFootnote, RenderModel, RenderParagraph } from './model.js';
import { oneLine } from './places.js';

const MARGIN = { top: 68, bottom: 72, left: 64, right: 64 };
const BODY = 10.5;
const NOTE = 8;
const LINE_GAP = 1.5;
const NOTE_GAP = 0.5;
/** Space for the rule above a page's footnotes. */
const RULE = 8;

type FontName = 'body' | 'bold' | 'italic';
interface Run {
  font: FontName;
  text: string;
  color?: string;
}

export async function renderPdf(m: RenderModel, opts: { dataDir: string; fonts?: PdfFonts }): Promise<{ bytes: Buffer; pages: number; fonts: PdfFonts }> {
  const fonts = opts.fonts ?? (await findPdfFonts(opts.dataDir));
  const doc = new PDFDocument({
    size: m.pageSize,
    margins: MARGIN,
    autoFirstPage: false,
    bufferPages: true,
    info: { Title: m.title, Author: m.generatedBy, Subject: `${m.banner} ${m.documentType}`, Keywords: m.banner, Creator: 'Cairn' },
  });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.registerFont('italic', fonts.italic);
  const pages = new PdfLayout(doc, m, fonts).run();
  doc.end();
  await ended;
  return { bytes: Buffer.concat(parts), pages, fonts };
}

class PdfLayout {
  private state: { font: FontName; size: number; color: string } = { font: 'body', size: BODY, color: '#000000' };
  private pageNotes: RenderFootnote[] = [];
  private notesHeight = 0;
  private pageHasBody = false;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly m: RenderModel,
    private readonly fonts: PdfFonts,
  ) {
    doc.on('pageAdded', () => this.topBanner());
  }

  run(): number {
    const { m } = this;
    this.doc.addPage();
    this.block([{ font: 'bold', text: `${m.titlePortion} ${m.title}` }], 17, 4);
    this.block([{ font: 'bold', text: m.documentType, color: '#444444' }], 11, 4);
    this.block([{ font: 'bold', text: `${m.basePortion} ` }, { font: 'body', text: `Report ${m.reportId}, template ${m.templateName}, generated ${m.generatedAt} by ${m.generatedBy}.`, color: '#444444' }], 8.5, 14);
    for (const s of m.sections) {
      this.heading(s.heading);
      for (const p of s.paragraphs) this.paragraph(p);
    }
    const annex = (n: number): string => String.fromCharCode(65 + n);
    let annexes = 0;
    if (m.annexes.sources) {
      this.newPage();
      this.heading(`Annex ${annex(annexes++)}: Sources`);
      if (m.sources.length === 0) this.block([{ font: 'bold', text: `${m.basePortion} ` }, { font: 'italic', text: 'No sources are cited.' }], BODY, 6);
      for (const s of m.sources) {
        this.block(
          [
            { font: 'bold', text: `${s.portion} ${s.label} ` },
            { font: 'body', text: `${s.title}. ` },
            { font: 'body', text: `Kind ${s.kind}; grade ${s.gradeText}; cited in note${s.footnotes.length > 1 ? 's' : ''} ${s.footnotes.join(', ')}. Origin ${s.origin || 'unknown'}, ingested ${s.ingestedAt || 'unknown'}, sha256 ${s.id}.`, color: '#333333' },
          ],
          9.5,
          8,
        );
      }
    }
    if (m.annexes.provenance) {
      this.newPage();
      this.heading(`Annex ${annex(annexes++)}: Provenance`);
      if (m.provenance.length === 0) this.block([{ font: 'bold', text: `${m.basePortion} ` }, { font: 'italic', text: 'The report holds no answers.' }], BODY, 6);
      for (const p of m.provenance) {
        this.block(
          [
            { font: 'bold', text: `${p.portion} ${p.label} ` },
            { font: 'italic', text: `${p.question} ` },
            { font: 'body', text: `Audit id ${p.auditId} (seq ${p.seq}); asked by ${p.askedBy} at ${p.askedAt}. Model ${p.model}; settings ${p.settings}. Retrieval ${p.retrieval}. Recorded banner ${p.recordedBanner}; ${p.citations} citation(s); section ${p.section}.`, color: '#333333' },
          ],
          9,
          8,
        );
      }
    }
    this.flushNotes();
    return this.finishPages();
  }

  private text(s: string): string {
    return this.fonts.unicode ? s : toWinAnsi(s);
  }

  private get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  private use(font: FontName, size: number, color = '#000000'): void {
    this.state = { font, size, color };
    this.doc.font(font).fontSize(size).fillColor(color);
  }

  /** A centred single line in the page margin, shrunk to fit. */
  private marginLine(text: string, y: number, size: number, font: FontName, color = '#000000'): void {
    const doc = this.doc;
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(font).fontSize(size);
    let s = size;
    while (s > 6 && doc.widthOfString(this.text(text)) > this.width) doc.fontSize((s -= 0.5));
    doc.fillColor(color).text(this.text(text), MARGIN.left, y, { width: this.width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = saved;
  }

  private topBanner(): void {
    this.marginLine(this.m.banner, 30, 10.5, 'bold');
    this.use(this.state.font, this.state.size, this.state.color);
    this.doc.x = MARGIN.left;
    this.doc.y = MARGIN.top;
    this.pageHasBody = false;
  }

  /** Page numbers and the bottom banner, on every page once the page count is known. */
  private finishPages(): number {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const h = this.doc.page.height;
      this.marginLine(`Page ${i - range.start + 1} of ${range.count}  |  ${this.m.reportId}`, h - 58, 7.5, 'body', '#555555');
      this.marginLine(this.m.banner, h - 42, 10.5, 'bold');
    }
    return range.count;
  }

  private measure(runs: Run[], size: number, lineGap: number): number {
    // Measured all in bold, the widest face, so the estimate never falls short.
    this.doc.font('bold').fontSize(size);
    const h = this.doc.heightOfString(this.text(runs.map((r) => r.text).join('')), { width: this.width, lineGap });
    this.doc.font(this.state.font).fontSize(this.state.size);
    return h;
  }

  private noteText(f: RenderFootnote): string {
    return `[${f.n}] ${f.portion} ${f.sourceTitle} [${f.sourceLabel}], ${f.place}; grade ${f.grade ?? 'ungraded'}: “${oneLine(f.quote)}”`;
  }

  private noteHeight(f: RenderFootnote): number {
    this.doc.font('body').fontSize(NOTE);
    const h = this.doc.heightOfString(this.text(this.noteText(f)), { width: this.width, lineGap: NOTE_GAP }) + 2;
    this.doc.font(this.state.font).fontSize(this.state.size);
    return h;
  }

  private newPage(): void {
    this.flushNotes();
    this.doc.addPage();
  }

  /**
   * Draws a block, first moving to a new page if it and the footnotes it
   * needs on this page do not fit. A note is printed on every page that
   * refers to it, so no page sends the reader elsewhere.
   */
  private block(runs: Run[], size: number, gap: number, notes: RenderFootnote[] = [], keepWithNext = 0): void {
    const h = this.measure(runs, size, LINE_GAP) + gap;
    const needed = (): { fresh: RenderFootnote[]; height: number } => {
      const fresh = notes.filter((n, i) => notes.indexOf(n) === i && !this.pageNotes.some((p) => p.n === n.n));
      const rule = fresh.length > 0 && this.pageNotes.length === 0 ? RULE : 0;
      return { fresh, height: fresh.reduce((sum, n) => sum + this.noteHeight(n), 0) + rule };
    };
    let need = needed();
    if (this.pageHasBody && this.doc.y + h + keepWithNext + this.notesHeight + need.height > this.bottom) {
      this.newPage();
      need = needed();
    }
    const tooTall = MARGIN.top + h + need.height + this.notesHeight > this.bottom;
    this.draw(runs, size, gap);
    if (tooTall) {
      // Taller than a page: its notes follow it in the text rather than at the foot.
      for (const n of need.fresh) this.draw([{ font: 'body', text: this.noteText(n), color: '#333333' }], NOTE, 2);
      return;
    }
    this.notesHeight += need.height;
    this.pageNotes.push(...need.fresh);
  }

  private draw(runs: Run[], size: number, gap: number): void {
    runs.forEach((r, i) => {
      this.use(r.font, size, r.color);
      this.doc.text(this.text(r.text), { width: this.width, lineGap: LINE_GAP, continued: i < runs.length - 1 });
    });
    this.use('body', BODY);
    this.doc.x = MARGIN.left;
    this.doc.y += gap;
    this.pageHasBody = true;
  }

  private heading(text: string): void {
    this.doc.y += this.pageHasBody ? 6 : 0;
    this.block([{ font: 'bold', text }], 13, 5, [], 3 * BODY * 1.4);
  }

  private paragraph(p: RenderParagraph): void {
    const notes = p.notes.map((n) => this.m.footnotes[n - 1]!).filter(Boolean);
    const refs = p.notes.length > 0 ? ` ${p.notes.map((n) => `[${n}]`).join('')}` : '';
    const lead: Run = { font: 'bold', text: `${p.portion} ` };
    if (p.style === 'question') this.block([lead, { font: 'bold', text: 'Question: ' }, { font: 'italic', text: oneLine(p.text) }], BODY, 4, [], 2 * BODY * 1.4);
    else if (p.style === 'answer' || p.style === 'note') this.block([lead, { font: 'body', text: oneLine(p.text) + refs }], BODY, 7, notes);
    else this.block([lead, { font: 'italic', text: oneLine(p.text) + refs, color: '#333333' }], BODY, 7, notes);
  }

  /** The page's footnotes, under a short rule, at the foot of the text area. */
  private flushNotes(): void {
    if (this.pageNotes.length === 0) return;
    const doc = this.doc;
    let y = this.bottom - this.notesHeight;
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // measured to fit; never let rounding start a page
    doc.save().moveTo(MARGIN.left, y + 3).lineTo(MARGIN.left + 140, y + 3).lineWidth(0.5).strokeColor('#000000').stroke().restore();
    y += RULE;
    for (const f of this.pageNotes) {
      this.use('body', NOTE);
      const h = this.noteHeight(f);
      doc.text(this.text(this.noteText(f)), MARGIN.left, y, { width: this.width, lineGap: NOTE_GAP });
      y += h;
    }
    doc.page.margins.bottom = saved;
    this.use('body', BODY);
    this.pageNotes = [];
    this.notesHeight = 0;
  }
}
