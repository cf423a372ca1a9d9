/**
 * PDFium reads ordinary text PDFs; everything it does differently or not at
 * all goes to pdf.js (ingest/documents/pdfium-text.ts). Real PDFs built by
 * pdfkit, read by the real WebAssembly engine.
 */
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../ingest/documents/pdf.js';
import { pdfiumText } from '../../ingest/documents/pdfium-text.js';
import { makePdf } from '../fixtures/documents/make-fixtures.js';

const SLOW = 30_000;

describe('PDF text through PDFium', () => {
  it('reads each page of a text PDF, with its document information, and says which engine read it', async () => {
    const bytes = new Uint8Array(await makePdf(['Fuel stocks at the northern depot fell by a third.', 'Resupply is planned for March.'], { title: 'Depot report' }));
    const raw = await pdfiumText(bytes);
    expect(raw?.pages).toHaveLength(2);
    expect(raw?.info.Title).toBe('Depot report');
    expect(raw?.hasForm).toBe(false);
    const doc = await readPdf(bytes, { filename: 'depot.pdf' });
    expect(doc.metadata.textEngine).toBe('pdfium');
    expect(doc.title).toBe('Depot report');
    expect(doc.pages.map((p) => p.text)).toEqual(['Fuel stocks at the northern depot fell by a third.', 'Resupply is planned for March.']);
  }, SLOW);

  it('gives words hyphenated at a line end back joined as pdf.js text is, and keeps real hyphens', async () => {
    const bytes = new Uint8Array(await makePdf(['The road was im-\npassable after the rain. A joint co-\nOperation ended.']));
    const doc = await readPdf(bytes, { filename: 'road.pdf' });
    expect(doc.metadata.textEngine).toBe('pdfium');
    // PDFium marks the line-end hyphen U+FFFE and drops the line break; neither may reach the text.
    expect(doc.pages[0]!.text).toBe('The road was impassable after the rain. A joint co-\nOperation ended.');
  }, SLOW);

  it('leaves a file with a blank page that carries an annotation to pdf.js, which gives the same text', async () => {
    const pages = ['Patrol log, day one.', ''];
    const withNote = new Uint8Array(await makePdf(pages, { noteOnBlankPages: true }));
    expect(await pdfiumText(withNote)).toBeNull();
    const viaPdfjs = await readPdf(withNote, { filename: 'noted.pdf' });
    expect(viaPdfjs.metadata.textEngine).toBe('pdf.js');
    const viaPdfium = await readPdf(new Uint8Array(await makePdf(pages)), { filename: 'plain.pdf' });
    expect(viaPdfium.metadata.textEngine).toBe('pdfium');
    expect(viaPdfium.pages).toEqual(viaPdfjs.pages);
    expect(viaPdfium.metadata.pagesWithoutText).toEqual([2]);
  }, SLOW);

  it('leaves encrypted files and non-PDFs to pdf.js, whose errors say what to do', async () => {
    const locked = new Uint8Array(await makePdf(['Secret page.'], { userPassword: 'pw' }));
    expect(await pdfiumText(locked)).toBeNull();
    await expect(readPdf(locked, { filename: 'locked.pdf' })).rejects.toMatchObject({ code: 'PDF_PASSWORD_REQUIRED' });
    const opened = await readPdf(locked, { filename: 'locked.pdf', password: 'pw' });
    expect(opened.pages[0]!.text).toBe('Secret page.');
    expect(await pdfiumText(new TextEncoder().encode('%PDF-1.7\nnot really a PDF'))).toBeNull();
  }, SLOW);

  it('keeps working after a file it cannot open (no state left behind)', async () => {
    expect(await pdfiumText(new Uint8Array(1000))).toBeNull();
    const again = await pdfiumText(new Uint8Array(await makePdf(['Still reading.'])));
    expect(again?.pages[0]).toContain('Still reading.');
  }, SLOW);
});
