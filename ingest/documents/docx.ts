import mammoth from 'mammoth';
import { CairnError } from '../../main/core/errors.js';
import { MIME } from './detect.js';
import { normalizePageText } from './normalize.js';
import type { ExtractedDocument, ReadOptions } from './types.js';
import { checkZipInflation } from './zip-budget.js';

/**
 * Word documents through mammoth's raw-text extraction: one paragraph per
 * block, no styling. DOCX has no fixed pages, so the text is page 1.
 */
export async function readDocx(bytes: Uint8Array, opts: ReadOptions): Promise<ExtractedDocument> {
  // mammoth inflates parts outside the worker's heap limit: measure them first (zip-budget.ts).
  checkZipInflation(bytes, opts.filename);
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${opts.filename} looks like a DOCX but could not be read (${e instanceof Error ? e.message : String(e)}); the file may be damaged`, { input: opts.filename, cause: e });
  }
  return {
    format: 'docx',
    mime: MIME.docx,
    title: opts.filename,
    pages: [{ page: 1, text: normalizePageText(value) }],
    metadata: {},
    attachments: [],
  };
}
