import { CairnError } from '../../main/core/errors.js';
import { detectFormat } from './detect.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

export type { Attachment, DocumentFormat, ExtractedDocument, ReadOptions } from './types.js';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/**
 * Reads one document from its bytes: detect the format, then hand it to that
 * format's reader. Readers are loaded on first use so a worker reading a text
 * file never pays for pdf.js.
 *
 * Runs in the caller's thread; for untrusted files use readDocumentIsolated
 * (worker.ts), which adds a time and memory limit.
 */
export async function readDocument(bytes: Uint8Array, opts: ReadOptions): Promise<ExtractedDocument> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw new CairnError('TOO_LARGE', `${opts.filename} is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`, { input: opts.filename });
  }
  const detected = await detectFormat(bytes, opts.filename);
  const doc = await readAs(detected.format, bytes, detected.text ?? '', opts);
  // A document with no words would be stored and never found: say so instead.
  if (doc.pages.every((p) => p.text === '') && doc.attachments.length === 0) {
    throw new CairnError('EMPTY_FILE', `${opts.filename} contains no text to index`, { input: opts.filename });
  }
  return doc;
}

async function readAs(format: ExtractedDocument['format'], bytes: Uint8Array, text: string, opts: ReadOptions): Promise<ExtractedDocument> {
  switch (format) {
    case 'pdf':
      return (await import('./pdf.js')).readPdf(bytes, opts);
    case 'docx':
      return (await import('./docx.js')).readDocx(bytes, opts);
    case 'email':
      return (await import('./email.js')).readEmail(bytes, opts);
    case 'html':
      return (await import('./html.js')).readHtml(text, opts);
    case 'markdown':
    case 'text':
      return (await import('./text.js')).readText(text, format, opts);
  }
}
