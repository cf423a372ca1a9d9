import { PDFParse } from 'pdf-parse';
import { CairnError } from '../../main/core/errors.js';
import type { PageText } from '../../main/core/types.js';
import { ocrImage } from '../imagery/index.js';
import { normalizePageText } from './normalize.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

/** Rendering resolution for OCR: 200 dpi, what tesseract is tuned for on scans. */
const SCALE = 200 / 72;
/** Beyond this a scanned book is a batch job, not an ingest: refuse with the reason. */
export const MAX_OCR_PAGES = 200;

export interface PdfOcrOptions extends ReadOptions {
  languages?: string[];
}

/**
 * A scanned PDF (no text layer): each page is rendered with pdf.js at 200 dpi
 * and read by tesseract, giving page texts that chunk and cite like any other
 * PDF's. The per-page OCR confidence is kept as the source's quality report.
 */
export async function ocrPdf(bytes: Uint8Array, opts: PdfOcrOptions): Promise<ExtractedDocument> {
  const parser = new PDFParse({ data: new Uint8Array(bytes), ...(opts.password ? { password: opts.password } : {}) });
  try {
    const info = await parser.getInfo();
    const total = info.total;
    if (total > MAX_OCR_PAGES) {
      throw new CairnError('TOO_LARGE', `${opts.filename} is a scanned PDF of ${total} pages; OCR at ingest is limited to ${MAX_OCR_PAGES} pages`, { input: opts.filename });
    }
    const pages: PageText[] = [];
    const quality: { page: number; meanConfidence: number; lowConfidenceShare: number; words: number; rotation: number }[] = [];
    for (let n = 1; n <= total; n++) {
      const shot = await parser.getScreenshot({ partial: [n], scale: SCALE, imageBuffer: true, imageDataUrl: false });
      const png = shot.pages[0]?.data;
      if (!png) continue;
      const ocr = await ocrImage(png, { filename: `${opts.filename} page ${n}`, languages: opts.languages });
      pages.push({ page: n, text: normalizePageText(ocr.text) });
      quality.push({ page: n, meanConfidence: ocr.meanConfidence, lowConfidenceShare: ocr.lowConfidenceShare, words: ocr.words.length, rotation: ocr.rotation });
    }
    const words = quality.reduce((a, q) => a + q.words, 0);
    if (words === 0) throw new CairnError('NEEDS_OCR', `${opts.filename} has no text layer and OCR found no words on its ${total} pages`, { input: opts.filename });
    const mean = quality.reduce((a, q) => a + q.meanConfidence * q.words, 0) / words;
    const low = quality.reduce((a, q) => a + q.lowConfidenceShare * q.words, 0) / words;
    const title = typeof info.info?.Title === 'string' && info.info.Title.trim() ? info.info.Title.trim() : opts.filename;
    return {
      format: 'pdf',
      mime: 'application/pdf',
      title,
      pages,
      metadata: { pageCount: total, ocr: { meanConfidence: Math.round(mean * 10) / 10, lowConfidenceShare: Math.round(low * 1000) / 1000, words, pages: quality } },
      attachments: [],
    };
  } finally {
    await parser.destroy();
  }
}
