import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFParse } from 'pdf-parse';
import { CairnError } from '../../main/core/errors.js';
import type { PageText } from '../../main/core/types.js';
import { MIME } from './detect.js';
import { joinHyphenatedLines, normalizePageText } from './normalize.js';
import { formFieldsByPage } from './pdf-forms.js';
import { loadPdfParse } from './pdf-load.js';
import { claimPages, closeShare, joinShare, type PageSharePrimary, type RawPageText, SHARE_MIN_PAGES } from './pdf-pages.js';
import { checkPdfStreams } from './pdf-streams.js';
import { pdfiumText } from './pdfium-text.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

/**
 * A page with fewer letters and digits than this has no real text layer (a
 * stray page number or stamp at most). When fewer than half of a PDF's pages
 * have text, it is a scan: indexing it would store an almost empty document
 * that no search can find, so the analyst is told it needs OCR instead.
 */
const MIN_PAGE_CHARS = 8;
/** A page whose raw text is more than this share of control glyphs used a font without a Unicode map. */
const GARBLED_SHARE = 0.1;

/**
 * pdf.js needs its character maps (CJK fonts) and standard font metrics
 * from disk; without them some pages extract as nothing. They ship inside
 * pdfjs-dist, found through pdf-parse so no network is ever involved.
 */
let assets: { cMapUrl?: string; standardFontDataUrl?: string } | undefined;

function pdfjsAssets(): { cMapUrl?: string; standardFontDataUrl?: string } {
  if (assets) return assets;
  try {
    const require = createRequire(import.meta.url);
    const root = path.dirname(createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/package.json'));
    assets = { cMapUrl: path.join(root, 'cmaps') + path.sep, standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep };
  } catch {
    assets = {};
  }
  return assets;
}

/** readPdf's options; `pageShare` only inside a reader worker (worker-entry.ts, pdf-pages.ts). */
export interface PdfReadOptions extends ReadOptions {
  pageShare?: PageSharePrimary;
}

async function openPdf(bytes: Uint8Array, opts: ReadOptions, checked = false): Promise<PDFParse> {
  // pdf.js inflates streams outside the worker's heap limit: measure them first (pdf-streams.ts).
  if (!checked) await checkPdfStreams(bytes, opts.filename);
  const { PDFParse } = await loadPdfParse();
  return new PDFParse({
    // pdf.js takes ownership of (detaches) the buffer it is given; the caller keeps theirs.
    data: new Uint8Array(bytes),
    password: opts.password,
    verbosity: 0,
    // Fonts in a hostile file must never become code.
    isEvalSupported: false,
    cMapPacked: true,
    ...pdfjsAssets(),
  });
}

/** One page's text as pdf-parse's getText() gives it for the whole file. */
async function pageText(parser: PDFParse, num: number): Promise<string> {
  return (await parser.getText({ partial: [num] })).pages[0]?.text ?? '';
}

/** Which engine read a PDF's text: PDFium for ordinary text PDFs, pdf.js for everything else (pdfium-text.ts). */
export type PdfEngine = 'pdfium' | 'pdf.js';

export async function readPdf(bytes: Uint8Array, opts: PdfReadOptions): Promise<ExtractedDocument> {
  await checkPdfStreams(bytes, opts.filename);
  // A password is pdf.js's business: its errors tell a wrong password from a missing one.
  if (!opts.password) {
    const fast = await pdfiumText(bytes);
    // Broken font encodings: pdf.js places the spaces better there, and the page is flagged either way.
    if (fast && !fast.pages.some(isGarbled)) {
      const fields = fast.hasForm ? await pdfjsFormFields(bytes, opts) : new Map<number, string[]>();
      const raw = fast.pages.map((text, i) => ({ page: i + 1, text: [text, ...(fields.get(i + 1) ?? [])].join('\n') }));
      try {
        return pdfDocument(raw, fast.info, opts, 'pdfium');
      } catch (e) {
        // Mostly blank to PDFium: pdf.js has the last word before a file is sent to OCR.
        if (!(e instanceof CairnError && e.code === 'NEEDS_OCR')) throw e;
      }
    }
  }
  const parser = await openPdf(bytes, opts, true);
  try {
    const info = await parser.getInfo();
    if (info.total === 0) throw new CairnError('PDF_INVALID', `${opts.filename} is a PDF with no pages; nothing to ingest`, { input: opts.filename });
    const texts = opts.pageShare ? await sharedPageTexts(parser, info.total, opts.pageShare) : (await parser.getText()).pages;
    const fields = await formFieldsByPage(parser);
    const raw = texts.map((p) => ({ page: p.num, text: [p.text, ...(fields.get(p.num) ?? [])].join('\n') }));
    return pdfDocument(raw, (info.info ?? {}) as Record<string, unknown>, opts, 'pdf.js');
  } catch (e) {
    throw toPdfError(e, opts);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** A form's typed values by page, read through pdf.js (PDFium read the pages). */
async function pdfjsFormFields(bytes: Uint8Array, opts: ReadOptions): Promise<Map<number, string[]>> {
  const parser = await openPdf(bytes, opts, true);
  try {
    // pdf-parse loads the document on its first call; its fields are read from that document.
    await parser.getInfo();
    return await formFieldsByPage(parser);
  } catch (e) {
    throw toPdfError(e, opts);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** The document from its pages' raw text and its information dictionary, whichever engine read them. */
function pdfDocument(raw: { page: number; text: string }[], docInfo: Record<string, unknown>, opts: ReadOptions, engine: PdfEngine): ExtractedDocument {
  const pages: PageText[] = raw.map((p) => ({ page: p.page, text: joinHyphenatedLines(normalizePageText(p.text)) }));
  const blank = pages.filter((p) => !hasWordChars(p.text, MIN_PAGE_CHARS)).map((p) => p.page);
  if (blank.length > pages.length / 2) {
    throw new CairnError('NEEDS_OCR', `${opts.filename} has no extractable text; needs OCR (${blank.length} of ${pages.length} page(s) have no text layer)`, { input: opts.filename });
  }
  return {
    format: 'pdf',
    mime: MIME.pdf,
    title: pdfTitle(docInfo.Title) ?? opts.filename,
    pages,
    metadata: {
      ...pickStrings(docInfo, ['Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate']),
      // Pages the analyst should know were not (or not properly) read.
      pagesWithoutText: blank,
      garbledPages: raw.filter((p) => isGarbled(p.text)).map((p) => p.page),
      textEngine: engine,
    },
    attachments: [],
  };
}

/** The primary reader's pages of a shared PDF, with the helper's (if one joined), in page order. */
async function sharedPageTexts(parser: PDFParse, total: number, share: PageSharePrimary): Promise<RawPageText[]> {
  if (total >= SHARE_MIN_PAGES) share.askHelp(total);
  const mine = await claimPages(share.cells, total, (n) => pageText(parser, n), false);
  const theirs = closeShare(share.cells) ? await share.helperPages() : [];
  return [...mine, ...theirs].sort((a, b) => a.num - b.num);
}

/**
 * The helper's side of a shared PDF: the same checks and the same pdf.js
 * options as readPdf, then pages claimed until none are left. `joined` is
 * false when the primary had already finished alone.
 */
export async function readPdfPages(bytes: Uint8Array, opts: ReadOptions, cells: SharedArrayBuffer): Promise<{ joined: boolean; pages: RawPageText[] }> {
  const parser = await openPdf(bytes, opts);
  try {
    const info = await parser.getInfo();
    if (!joinShare(cells)) return { joined: false, pages: [] };
    return { joined: true, pages: await claimPages(cells, info.total, (n) => pageText(parser, n), true) };
  } catch (e) {
    throw toPdfError(e, opts);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** What pdf.js (or a check before it) threw, as the error an analyst can act on. */
export function toPdfError(e: unknown, opts: ReadOptions): CairnError {
  if (e instanceof CairnError) return e;
  const name = e instanceof Error ? e.name : '';
  const input = opts.filename;
  if (name === 'PasswordException') {
    return opts.password
      ? new CairnError('PDF_PASSWORD_WRONG', `the password given for ${input} is not correct`, { input, cause: e })
      : new CairnError('PDF_PASSWORD_REQUIRED', `${input} is encrypted; pass its password with --password`, { input, cause: e });
  }
  // Everything else pdf.js throws (bad structure, broken streams, runaway
  // recursion in a fuzzed file) means the same thing to the analyst.
  const raw = e instanceof Error ? e.message : String(e);
  // A stack overflow means objects nested far deeper than any real PDF (a crafted file): say so, not the engine's words.
  const why = /maximum call stack/i.test(raw) ? 'its objects are nested too deeply to read' : raw;
  return new CairnError('PDF_INVALID', `${input} is damaged or not a valid PDF (${why})`, { input, cause: e });
}

/** At least `min` letters and digits; stops counting there (a book page has thousands). */
function hasWordChars(text: string, min: number): boolean {
  const re = /[\p{L}\p{N}]/gu;
  let n = 0;
  while (n < min && re.exec(text) !== null) n++;
  return n >= min;
}

function isGarbled(raw: string): boolean {
  const visible = raw.replace(/\s/g, '');
  if (visible.length === 0) return false;
  const junk = visible.match(/[\u0000-\u001F\uFFFD]/g)?.length ?? 0;
  return junk / visible.length > GARBLED_SHARE;
}

function pdfTitle(value: unknown): string | undefined {
  const title = typeof value === 'string' ? normalizePageText(value).replace(/\s+/g, ' ') : '';
  return title && title.toLowerCase() !== 'untitled' ? title : undefined;
}

function pickStrings(info: Record<string, unknown>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = info[k];
    if (typeof v === 'string' && v.trim()) out[k.charAt(0).toLowerCase() + k.slice(1)] = v.trim();
  }
  return out;
}
