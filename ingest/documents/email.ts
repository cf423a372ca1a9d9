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
    throw new CairnError('PARSE_FAILED', `${opts.filename} could not be read as an e-mail (${e instanceof Error ? e.message : String(e)})`, { input: opts.filename, cause: e });
  }

  const from = addresses(mail.from);
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined;
  const subject = mail.subject?.trim() ?? '';
  const header = [
    from && `From: ${from}`,
    to && `To: ${to}`,
    cc && `Cc: ${cc}`,
    date && `Date: ${date}`,
    subject && `Subject: ${subject}`,
  ].filter(Boolean);
  const body = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html).text : '';

  return {
    format: 'email',
    mime: MIME.email,
    title: subject || opts.filename,
    pages: [{ page: 1, text: normalizePageText(`${header.join('\n')}\n\n${body}`) }],
    metadata: { from, to, cc, date, messageId: mail.messageId },
    attachments: attachmentsOf(mail.attachments),
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
function attachmentsOf(parts: Awaited<ReturnType<typeof simpleParser>>['attachments']): Attachment[] {
  const used = new Set<string>();
  const out: Attachment[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.related) continue;
    const base = (part.filename ?? '').replace(/[\\/\u0000-\u001F]/g, '_').trim() || `attachment-${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${n}-${base}`;
    used.add(name);
    // A fresh, exact-size buffer: it can be transferred out of a worker, and
    // it does not pin mailparser's larger chunk buffers.
    out.push({ filename: name, bytes: new Uint8Array(part.content) });
  }
  return out;
}
