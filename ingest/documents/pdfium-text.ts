import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { init as initPdfium } from '@embedpdf/pdfium';

/**
 * Page text through PDFium (Chromium's PDF engine, compiled to WebAssembly
 * by @embedpdf/pdfium). It reads text about three times as fast as pdf.js
 * and gives poppler's reading order (word overlap with pdftotext 0.999-1.000
 * on the eval PDFs, pdf.js 0.90-0.98), so it is the first engine for a PDF.
 *
 * It is only the fast path. What it does not do, or does differently, is
 * left to pdf.js (pdf.ts): the typed values of an interactive form (not in
 * the page text), an encrypted file (pdf.js's errors name the password
 * problem), anything PDFium cannot open, and pages with no text at all
 * (pdf.js also reads text drawn by annotations). `null` means "use pdf.js".
 *
 * Everything runs in WebAssembly memory, which V8's heap limit on the reader
 * worker does not see: MAX_WASM_BYTES caps it here, and a module that grew
 * past RESET_WASM_BYTES on a big file is dropped so the next file starts small.
 */

/** PDFium's own memory for one document: a text PDF this large is past anything real. */
const MAX_WASM_BYTES = 1024 * 1024 * 1024;
/** Memory never shrinks in WebAssembly: past this, a fresh module for the next document. */
const RESET_WASM_BYTES = 256 * 1024 * 1024;

// FPDF_GetFormType: FORMTYPE_NONE.
const FORMTYPE_NONE = 0;

type Pdfium = Awaited<ReturnType<typeof initPdfium>>;

let loading: Promise<Pdfium> | undefined;

/** Compiles and starts PDFium once per thread, from the .wasm inside node_modules (never a URL). */
export function loadPdfium(): Promise<Pdfium> {
  loading ??= (async () => {
    const { init } = await import('@embedpdf/pdfium');
    const wasm = await readFile(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm'));
    const api = await init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
    api.PDFiumExt_Init();
    return api;
  })();
  // A failed start is not cached: the caller falls back to pdf.js and the next file tries again.
  loading.catch(() => (loading = undefined));
  return loading;
}

export interface PdfiumDocumentText {
  /** Raw text of each page, in page order (page 1 first). */
  pages: string[];
  /** Document information dictionary entries that are set (Title, Author, ...). */
  info: Record<string, string>;
  /** An interactive form: its typed values are not page text (pdf-forms.ts reads them through pdf.js). */
  hasForm: boolean;
}

const INFO_KEYS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate'];

class WasmMemoryExceeded extends Error {}

/**
 * The text of every page, or null when pdf.js should read this file instead
 * (see above). Never throws for a bad file: pdf.js then gives the error.
 */
export async function pdfiumText(bytes: Uint8Array): Promise<PdfiumDocumentText | null> {
  let api: Pdfium;
  try {
    api = await loadPdfium();
  } catch {
    return null;
  }
  const heap = (): Uint8Array => api.pdfium.HEAPU8;
  const { malloc, free } = api.pdfium.wasmExports;
  const data = malloc(bytes.length);
  if (!data) return null;
  try {
    heap().set(bytes, data);
    // The document reads from `data` for its whole life: freed only after it is closed.
    const doc = api.FPDF_LoadMemDocument(data, bytes.length, '');
    if (!doc) return null; // damaged, encrypted, not a PDF: pdf.js says which
    try {
      const count = api.FPDF_GetPageCount(doc);
      if (count <= 0) return null;
      const pages: string[] = [];
      for (let i = 0; i < count; i++) {
        const page = pageText(api, doc, i);
        // A page with no text may still show text drawn by an annotation, which only pdf.js reads.
        if (page === null) return null;
        pages.push(page);
        if (heap().length > MAX_WASM_BYTES) throw new WasmMemoryExceeded();
      }
      return { pages, info: documentInfo(api, doc), hasForm: api.FPDF_GetFormType(doc) !== FORMTYPE_NONE };
    } finally {
      api.FPDF_CloseDocument(doc);
    }
  } catch {
    // A WebAssembly trap (corrupt structure, runaway recursion) or the memory cap: pdf.js decides.
    return null;
  } finally {
    free(data);
    if (heap().length > RESET_WASM_BYTES) loading = undefined;
  }
}

/** A page's text; null for a page with no text but annotations (pdf.js reads their appearance). */
function pageText(api: Pdfium, doc: number, index: number): string | null {
  const page = api.FPDF_LoadPage(doc, index);
  if (!page) return null;
  const text = api.FPDFText_LoadPage(page);
  try {
    const chars = text ? api.FPDFText_CountChars(text) : 0;
    if (chars <= 0) return api.FPDFPage_GetAnnotCount(page) > 0 ? null : '';
    const { malloc, free } = api.pdfium.wasmExports;
    const buf = malloc((chars + 1) * 2);
    try {
      // UTF-16 code units written, the terminating NUL included.
      const units = api.FPDFText_GetText(text, 0, chars, buf);
      // HEAPU8 is replaced when memory grows: read it after the call.
      const out = units > 1 ? utf16(api.pdfium.HEAPU8, buf, units - 1) : '';
      return out.trim() === '' && api.FPDFPage_GetAnnotCount(page) > 0 ? null : out;
    } finally {
      free(buf);
    }
  } finally {
    if (text) api.FPDFText_ClosePage(text);
    api.FPDF_ClosePage(page);
  }
}

const decoder = new TextDecoder('utf-16le');

function utf16(heap: Uint8Array, ptr: number, units: number): string {
  // PDFium joins a line that ends in a hyphen to the next and marks the hyphen U+FFFE. The hyphen
  // and line break are put back: normalize.ts then joins words exactly as it does for pdf.js.
  return decoder.decode(heap.subarray(ptr, ptr + units * 2)).replace(/\uFFFE/g, '-\n');
}

function documentInfo(api: Pdfium, doc: number): Record<string, string> {
  const out: Record<string, string> = {};
  const { malloc, free } = api.pdfium.wasmExports;
  for (const key of INFO_KEYS) {
    // First call: the value's size in bytes (UTF-16LE, NUL included); 2 means empty.
    const size = api.FPDF_GetMetaText(doc, key, 0, 0);
    if (size <= 2) continue;
    const buf = malloc(size);
    try {
      api.FPDF_GetMetaText(doc, key, buf, size);
      const value = decoder.decode(api.pdfium.HEAPU8.subarray(buf, buf + size - 2));
      if (value.trim()) out[key] = value;
    } finally {
      free(buf);
    }
  }
  return out;
}
