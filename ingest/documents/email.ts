import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import { CairnError } from '../../main/core/errors.js';
import { MIME } from './detect.js';
import { htmlToText } from './html.js';
import { normalizePageText } from './normalize.js';
import type { Attachment, ExtractedDocument, ReadOptions } from './types.js';

/**
 * An RFC 5322 message (.eml). The page is a short header block followed by
 * the body, so "who wrote this, when" is searchable and citable. Attachments
 * come back as bytes; the pipeline ingests each as its own source.
 */
export async function readEmail(bytes: Uint8Array, opts: ReadOptions): Promise<ExtractedDocument> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      // We convert HTML ourselves (same rules as .html files) and need no HTML from text.
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
    });
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${opts.filename} could not be read as an e-mail: ${emailFailure(e)}`, { input: opts.filename, cause: e });
  }

  const from = addresses(mail.from);
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined;
  // Encoded words can decode to NULs and controls; a title must be printable.
  const subject = (mail.subject ?? '').replace(/[\u0000-\u0008\u000B-\u001F\u007F\uFFFD]+/g, ' ').replace(/\s+/g, ' ').trim();
  const header = [
    from && `From: ${from}`,
    to && `To: ${to}`,
    cc && `Cc: ${cc}`,
    date && `Date: ${date}`,
    subject && `Subject: ${subject}`,
  ].filter(Boolean);
  const { attachments, dropped } = attachmentsOf(mail.attachments);
  const body = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html).text : '';

  return {
    format: 'email',
    mime: MIME.email,
    title: subject || opts.filename,
    pages: [{ page: 1, text: normalizePageText(`${header.join('\n')}\n\n${body}`) }],
    metadata: { from, to, cc, date, messageId: mail.messageId, ...(dropped.length ? { droppedAttachments: dropped } : {}) },
    attachments,
  };
}

/** "Name <address>, ..." as a person would write it (mailparser's own text quotes names). */
function addresses(field: AddressObject | AddressObject[] | undefined): string | undefined {
  if (!field) return undefined;
  const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  const people = flat((Array.isArray(field) ? field : [field]).flatMap((a) => a.value));
  const text = people.map((a) => (a.name && a.address ? `${a.name} <${a.address}>` : a.address || a.name)).filter(Boolean).join(', ');
  return text || undefined;
}

/**
 * Real attachments only: images embedded in the HTML body (cid: parts) are
 * decoration. Names are made safe to use in an origin ("msg.eml#name") and
 * unique within the message.
 */
function attachmentsOf(parts: Awaited<ReturnType<typeof simpleParser>>['attachments']): { attachments: Attachment[]; dropped: string[] } {
  const used = new Set<string>();
  const out: Attachment[] = [];
  const dropped: string[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.related) continue;
    if (part.contentType === 'message/rfc822' && nestedMessages(part.content) > MAX_NESTED_MESSAGES) {
      dropped.push(`${part.filename ?? `attachment-${i + 1}`}: an e-mail nesting more than ${MAX_NESTED_MESSAGES} e-mails; not ingested`);
      continue;
    }
    const base = (part.filename ?? '').replace(/[\\/\u0000-\u001F]/g, '_').trim() || `attachment-${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${n}-${base}`;
    used.add(name);
    // A fresh, exact-size buffer: it can be transferred out of a worker, and
    // it does not pin mailparser's larger chunk buffers.
    out.push({ filename: name, bytes: new Uint8Array(part.content) });
  }
  return { attachments: out, dropped };
}

/**
 * Attached e-mails are ingested as sources, their attachments in turn, and
 * so on: a message wrapping itself 200 deep became 200 sources and parsed
 * every inner level again at each level (quadratic). Real forwards nest a
 * handful deep.
 */
export const MAX_NESTED_MESSAGES = 10;

/** How many e-mails an attached e-mail nests, by its message/rfc822 part headers. */
function nestedMessages(content: Buffer): number {
  return content.toString('latin1').match(/^content-type:[ \t]*message\/rfc822/gim)?.length ?? 0;
}

/** mailparser's limit messages, said as what the message holds and what to do. */
export function emailFailure(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Max header size/i.test(msg)) return 'a header block is larger than the mail parser accepts (huge or endless header lines); it was refused. Check that the file is really an e-mail';
  if (/Max allowed child nodes/i.test(msg)) return 'it has more MIME parts (attachments or nested multiparts) than the mail parser accepts; it was refused. Save the attachments separately and ingest them as files';
  if (/call stack/i.test(msg)) return 'its MIME parts are nested too deeply to follow; it was refused';
  return msg.split('\n')[0] ?? msg;
}
