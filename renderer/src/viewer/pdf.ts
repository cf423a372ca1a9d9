/**
 * pdf.js, loaded on first use, with its worker bundled beside the app (a
 * file from 'self', never a CDN) and eval off, so the strict CSP holds.
 */
import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

type PdfJs = typeof PdfJsModule;

let lib: Promise<PdfJs> | null = null;

export function pdfjs(): Promise<PdfJs> {
  lib ??= import('pdfjs-dist').then((m) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return m;
  });
  return lib;
}

/** Opens a PDF from bytes (copied: pdf.js takes ownership of the buffer it is given). */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  const m = await pdfjs();
  return m.getDocument({ data: data.slice(), isEvalSupported: false, useWorkerFetch: false, enableXfa: false, stopAtErrors: false }).promise;
}
