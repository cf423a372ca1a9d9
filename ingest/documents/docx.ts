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
    throw new CairnError('PARSE_FAILED', `${opts.filename} looks like a DOCX but could not be read: ${docxFailure(e)}`, { input: opts.filename, cause: e });
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

/**
 * What went wrong, in words a user can act on. mammoth's own messages are
 * parser internals ("[xmldom error] entity not found", "Cannot read
 * properties of null", "Maximum call stack size exceeded") for the hostile
 * shapes a DOCX can take; those are named here.
 */
export function docxFailure(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/entity not found|<!ENTITY|<!DOCTYPE/i.test(msg)) {
    return 'its XML uses entities from a DTD, which Word never writes and Cairn never resolves (an entity-expansion or external-entity attack?); it was refused';
  }
  if (e instanceof RangeError && /call stack/i.test(msg)) {
    return 'its XML is nested too deeply to follow (tables or elements tens of thousands of levels deep); it was refused';
  }
  if (e instanceof TypeError) return 'its parts are not valid Word XML (a part is missing, empty or not XML); the file is damaged or not a real DOCX';
  return `${msg.split('\n')[0]}; the file may be damaged`;
}
