import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { CairnError } from '../../main/core/errors.js';
import type { PageText } from '../../main/core/types.js';
import { MIME } from './detect.js';
import { joinHyphenatedLines, normalizePageText } from './normalize.js';
import { formFieldsByPage } from './pdf-forms.js';
import { checkPdfStreams } from './pdf-streams.js';
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

export async function readPdf(bytes: Uint8Array, opts: ReadOptions): Promise<ExtractedDocument> {
  // pdf.js inflates streams outside the worker's heap limit: measure them first (pdf-streams.ts).
  await checkPdfStreams(bytes, opts.filename);
  const parser = new PDFParse({
    // pdf.js takes ownership of (detaches) the buffer it is given; the caller keeps theirs.
    data: new Uint8Array(bytes),
    password: opts.password,
    verbosity: 0,
    // Fonts in a hostile file must never become code.
    isEvalSupported: false,
    cMapPacked: true,
    ...pdfjsAssets(),
  });
  try {
    const info = await parser.getInfo();
    if (info.total === 0) throw new CairnError('PDF_INVALID', `${opts.filename} is a PDF with no pages; nothing to ingest`, { input: opts.filename });
    const result = await parser.getText();
    const fields = await formFieldsByPage(parser);
    const raw = result.pages.map((p) => ({ page: p.num, text: [p.text, ...(fields.get(p.num) ?? [])].join('\n') }));
    const pages: PageText[] = raw.map((p) => ({ page: p.page, text: joinHyphenatedLines(normalizePageText(p.text)) }));
    const blank = pages.filter((p) => countWordChars(p.text) < MIN_PAGE_CHARS).map((p) => p.page);
    if (blank.length > pages.length / 2) {
      throw new CairnError('NEEDS_OCR', `${opts.filename} has no extractable text; needs OCR (${blank.length} of ${pages.length} page(s) have no text layer)`, { input: opts.filename });
    }
    const docInfo = (info.info ?? {}) as Record<string, unknown>;
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
      },
      attachments: [],
    };
  } catch (e) {
    throw toPdfError(e, opts);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

function toPdfError(e: unknown, opts: ReadOptions): CairnError {
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
  const why = e instanceof Error ? e.message : String(e);
  return new CairnError('PDF_INVALID', `${input} is damaged or not a valid PDF (${why})`, { input, cause: e });
}

function countWordChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
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
