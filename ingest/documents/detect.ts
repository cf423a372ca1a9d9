import { fileTypeFromBuffer } from 'file-type';
import { CairnError } from '../../main/core/errors.js';
import type { DocumentFormat } from './types.js';

/**
 * Decides what a file is from its bytes. The name is only used in messages
 * and for one consistency check: a file named as a binary document (.pdf,
 * .docx) whose bytes are plain text is a broken download or an error page,
 * not a text document, and is rejected rather than indexed as text.
 */
export interface Detected {
  format: DocumentFormat;
  mime: string;
  /** Decoded text for the text formats, so readers do not decode twice. */
  text?: string;
}

export const MIME: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  email: 'message/rfc822',
};

const SUPPORTED = 'Cairn reads PDF, DOCX, HTML, Markdown, plain text (UTF-8) and e-mail (.eml) documents';

export async function detectFormat(bytes: Uint8Array, filename: string): Promise<Detected> {
  if (bytes.byteLength === 0) throw new CairnError('EMPTY_FILE', `${filename} is empty (0 bytes); nothing to ingest`, { input: filename });
  // A zero-filled file (an interrupted copy, a wiped or sparse file) is empty, whatever its name says.
  if (bytes[0] === 0 && allZero(bytes)) {
    throw new CairnError('EMPTY_FILE', `${filename} holds only NUL bytes (${bytes.byteLength} of them): a zero-filled file, e.g. an interrupted copy or download; nothing to ingest. Copy the original again`, { input: filename });
  }

  // A UTF-16 byte-order mark looks like an MPEG frame sync to file-type.
  const sniffed = utf16Bom(bytes) ? undefined : await fileTypeFromBuffer(bytes);
  if (sniffed?.ext === 'pdf') return { format: 'pdf', mime: MIME.pdf };
  if (sniffed?.ext === 'docx') return { format: 'docx', mime: MIME.docx };
  // file-type knows a few text formats (XML, calendars); those fall through to
  // the text sniffers below. Any other binary type is not a document we read.
  // Images the image reader does not take (BMP, ICO, PSD ...) land here: say so, not "not a document".
  if (sniffed?.mime.startsWith('image/')) {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is a ${sniffed.ext.toUpperCase()} image (${sniffed.mime}), a format Cairn does not read; convert it to PNG or JPEG (Cairn reads JPEG, PNG, TIFF, GIF, WebP and HEIC images)`, { input: filename });
  }
  if (sniffed && sniffed.ext !== 'xml' && !sniffed.mime.startsWith('text/')) {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is ${sniffed.mime} (.${sniffed.ext}), not a document; ${SUPPORTED}`, { input: filename });
  }
  // PDF allows up to 1 KB of junk before the header; readers cope, so do we.
  if (!sniffed && /(?:^|[\r\n])%PDF-\d\.\d/.test(latin1Head(bytes, 1024 + 8))) return { format: 'pdf', mime: MIME.pdf };

  // Header fields are ASCII by RFC 5322, while bodies may be in any charset
  // mailparser decodes, so e-mail is recognised before UTF-8 is demanded.
  if (looksLikeEmail(latin1Head(bytes, EMAIL_SAMPLE), bytes.byteLength > EMAIL_SAMPLE)) return { format: 'email', mime: MIME.email };

  const text = decodeText(bytes, filename);
  if (/\.(pdf|docx)$/i.test(filename)) {
    const kind = /\.pdf$/i.test(filename) ? 'PDF' : 'DOCX';
    throw new CairnError(kind === 'PDF' ? 'PDF_INVALID' : 'PARSE_FAILED', `${filename} is named as a ${kind} but its bytes are plain text (no ${kind} header); the file is damaged or mislabelled`, { input: filename });
  }
  if (looksLikeHtml(text)) return { format: 'html', mime: MIME.html, text };
  // XML that is not one of the sensor formats (routed before this) is not a
  // document: SVG and other XML can carry entity declarations and scripts, so
  // it is refused rather than indexed as text.
  const root = XML_ROOT.exec(text.slice(0, 4096));
  if (root) {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is XML (<${root[1]}>), which Cairn does not ingest as a document; ${SUPPORTED}`, { input: filename });
  }
  // A DTD longer than the sample (an entity bomb's prolog) hides the root element: still XML, still refused.
  if (/^\uFEFF?\s*<(?:\?xml\b|!DOCTYPE\b)/i.test(text)) {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is XML (it starts with an XML declaration or DOCTYPE), which Cairn does not ingest as a document; ${SUPPORTED}`, { input: filename });
  }
  if (looksLikeMarkdown(text)) return { format: 'markdown', mime: MIME.markdown, text };
  return { format: 'text', mime: MIME.text, text };
}

function allZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function latin1Head(bytes: Uint8Array, limit: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, limit)).toString('latin1');
}

/** Text must be valid UTF-8 (or BOM-marked UTF-16) without NUL bytes; anything else is binary or a legacy charset. */
function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
}

function decodeText(bytes: Uint8Array, filename: string): string {
  const utf16 = utf16Bom(bytes);
  if (!utf16 && bytes.includes(0)) {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is binary data of an unknown type (it contains NUL bytes); ${SUPPORTED}`, { input: filename });
  }
  try {
    // fatal: a wrong charset must fail loudly, not index U+FFFD soup.
    return new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is not valid UTF-8 text (a legacy charset or binary data); convert it to UTF-8 first. ${SUPPORTED}`, { input: filename });
  }
}

/** The root element of an XML file, after its prolog (declaration, comments, DOCTYPE). */
const XML_ROOT = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>\s*)*<([A-Za-z][\w:.-]*)[\s>/]/;

const HTML_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6]|section|article|span|ul|ol)\b/i;

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  return HTML_START.test(head) || (head.startsWith('<') && /<(?:html|body)\b[^>]*>/i.test(head));
}

// Fields whose presence makes a header block a mail header and not, say,
// "Title: ..." metadata at the top of a note.
const EMAIL_SAMPLE = 16 * 1024;

const MAIL_FIELDS = new Set(['from', 'received', 'return-path', 'message-id', 'mime-version', 'delivered-to', 'x-mailer']);

/** An RFC 5322 header block at the very start: field lines and folded continuations up to a blank line. */
function looksLikeEmail(head: string, truncated: boolean): boolean {
  const lines = head.replace(/\r\n/g, '\n').split('\n');
  if (truncated) lines.pop(); // may be cut mid-line
  let fields = 0;
  let mailish = false;
  for (const [i, line] of lines.entries()) {
    if (line === '') return fields >= 2 && mailish;
    if (/^[ \t]/.test(line) && i > 0) continue;
    const m = /^([!-9;-~]+):/.exec(line);
    if (!m) return false;
    fields++;
    if (MAIL_FIELDS.has(m[1]!.toLowerCase())) mailish = true;
  }
  // The whole sample was headers (a body-less message, or a huge header block).
  return fields >= 2 && mailish;
}

const MD_SIGNALS: RegExp[] = [
  /^\s{0,3}#{1,6}\s+\S/m, // ATX heading
  /^[^\n]+\n\s{0,3}(?:=+|-{2,})\s*$/m, // setext heading
  /!?\[[^\]\n]+\]\([^)\s]+\)/, // link or image
  /^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S[^\n]*\n\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S/m, // two list items in a row
  /^\s{0,3}(?:```|~~~)/m, // fenced code
  /(?:\*\*|__)[^*_\n]+(?:\*\*|__)/, // strong emphasis
  /^\s{0,3}>\s/m, // block quote
  /^\|?[^\n|]*\|[^\n]*\n\|?\s*:?-{3,}:?\s*\|/m, // table header rule
];

/** A heading at the start counts on its own; otherwise two distinct Markdown signals. */
function looksLikeMarkdown(text: string): boolean {
  const sample = text.slice(0, 16 * 1024);
  if (/^\s*#{1,6}\s+\S/.test(sample)) return true;
  return MD_SIGNALS.filter((re) => re.test(sample)).length >= 2;
}
