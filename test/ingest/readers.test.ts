import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { readDocument } from '../../ingest/documents/index.js';
import type { ReadOptions } from '../../ingest/documents/types.js';
import { DOCX_PARAGRAPHS, type FixtureSet, makePdf, PDF_PAGES, writeFixtures } from '../fixtures/documents/make-fixtures.js';

let fx: FixtureSet;
beforeAll(async () => {
  fx = await writeFixtures(await mkdtemp(path.join(os.tmpdir(), 'cairn-readers-')));
});
afterAll(async () => {
  await rm(fx.dir, { recursive: true, force: true });
});

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

async function read(name: string, opts: Partial<ReadOptions> = {}) {
  return readDocument(await readFile(fx.files[name]!), { filename: name, ...opts });
}

async function readError(name: string, opts: Partial<ReadOptions> = {}): Promise<CairnError> {
  const e = await read(name, opts).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CairnError);
  return e as CairnError;
}

describe('PDF', () => {
  it('keeps text per page with 1-based page numbers', async () => {
    const doc = await read('report.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.mime).toBe('application/pdf');
    expect(doc.pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(doc.pages.map((p) => collapse(p.text))).toEqual(PDF_PAGES);
    expect(doc.attachments).toEqual([]);
  });

  it('takes the title from the document info, else the file name', async () => {
    expect((await read('report.pdf')).title).toBe('Convoy Report');
    expect((await read('untitled.pdf')).title).toBe('untitled.pdf');
  });

  it('reads a PDF saved under a .txt name as a PDF', async () => {
    const doc = await read('report-pdf.txt');
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toHaveLength(3);
  });

  it('without a password, an encrypted PDF is PDF_PASSWORD_REQUIRED and says to pass --password', async () => {
    const e = await readError('locked.pdf');
    expect(e.code).toBe('PDF_PASSWORD_REQUIRED');
    expect(e.message).toContain('--password');
    expect(e.input).toBe('locked.pdf');
  });

  it('a wrong password is PDF_PASSWORD_WRONG', async () => {
    expect((await readError('locked.pdf', { password: 'guess' })).code).toBe('PDF_PASSWORD_WRONG');
  });

  it('the right (non-ASCII) password opens it', async () => {
    const doc = await read('locked.pdf', { password: 'æøå-secret' });
    expect(collapse(doc.pages[0]!.text)).toBe('Locked convoy details for page one.');
  });

  it('pages without text are NEEDS_OCR, not an empty document', async () => {
    const e = await readError('scan.pdf');
    expect(e.code).toBe('NEEDS_OCR');
    expect(e.message).toMatch(/no extractable text; needs OCR/);
  });

  it('a truncated PDF is PDF_INVALID', async () => {
    const pdf = await readFile(fx.files['report.pdf']!);
    const e = await readDocument(pdf.subarray(0, 400), { filename: 'cut.pdf' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CairnError);
    expect((e as CairnError).code).toBe('PDF_INVALID');
  });

  it('does not detach or change the caller’s bytes', async () => {
    const bytes = await readFile(fx.files['report.pdf']!);
    const before = Buffer.from(bytes);
    await readDocument(bytes, { filename: 'report.pdf' });
    expect(bytes.byteLength).toBe(before.byteLength);
    expect(Buffer.compare(bytes, before)).toBe(0);
  });

  it('lists pages without text when most pages have some', async () => {
    const bytes = await makePdf(['A first page with plenty of words on it to read.', '', 'A third page, also with plenty of words.']);
    const doc = await readDocument(bytes, { filename: 'mixed.pdf' });
    expect(doc.pages.map((p) => p.text === '')).toEqual([false, true, false]);
    expect(doc.metadata.pagesWithoutText).toEqual([2]);
  });
});

describe('DOCX', () => {
  it('gives the raw text as one page', async () => {
    const doc = await read('review.docx');
    expect(doc.format).toBe('docx');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.page).toBe(1);
    expect(doc.pages[0]!.text.split('\n\n')).toEqual(DOCX_PARAGRAPHS);
    expect(doc.title).toBe('review.docx');
  });
});

describe('HTML', () => {
  it('drops script, style, noscript and template content and takes <title>', async () => {
    const doc = await read('page.html');
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('Port Status & Notes');
    const text = doc.pages[0]!.text;
    expect(text).not.toMatch(/SHOULD-NOT-APPEAR|trackingCode|secret-style|color: red/);
    expect(text).not.toContain('Port Status & Notes');
  });

  it('breaks paragraphs at block elements, keeps <br> as a line, decodes entities', async () => {
    const text = (await read('page.html')).pages[0]!.text;
    expect(text).toContain('Port status\n\nBerth 4 is closed for repairs.\nBerth 5 is open.');
    expect(text).toContain('Tug Alpha: on station\n\nTug Bravo: in maintenance');
    expect(text).toContain('Cranes 3 working');
    expect(text).toContain('Fish & chips <tonight> — café open.');
  });

  it('reads HTML named .md as HTML', async () => {
    const doc = await read('page.md');
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('Port Status & Notes');
  });
});

describe('Markdown and plain text', () => {
  it('takes a Markdown title from the first heading and keeps the text as written', async () => {
    const doc = await read('notes.md');
    expect(doc).toMatchObject({ format: 'markdown', mime: 'text/markdown', title: 'Field Notes: River Crossing' });
    expect(doc.pages[0]!.text).toContain('The ford at **Mill Creek** is passable');
  });

  it('normalises plain text (CRLF, blank lines) and titles it by file name', async () => {
    const doc = await read('log.txt');
    expect(doc).toMatchObject({ format: 'text', mime: 'text/plain', title: 'log.txt' });
    expect(doc.pages).toEqual([{ page: 1, text: 'Shift log, night of 3 May.\nAll quiet on the east gate.\n\nPatrol returned at 02:10.' }]);
  });

  it('a whitespace-only file is EMPTY_FILE ("contains no text")', async () => {
    const e = await readDocument(Buffer.from(' \n\t\n '), { filename: 'blank.txt' }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'EMPTY_FILE', input: 'blank.txt' });
  });
});

describe('E-mail', () => {
  it('titles by subject, fills metadata, and puts a header block before the body', async () => {
    const doc = await read('message.eml');
    expect(doc.format).toBe('email');
    expect(doc.title).toBe('Convoy schedule update');
    expect(doc.metadata).toMatchObject({
      from: 'Ana Analyst <ana@example.org>',
      to: 'Desk Officer <desk@example.org>',
      cc: 'ops@example.org',
      date: '2024-05-03T10:15:00.000Z',
      messageId: '<convoy-123@example.org>',
    });
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.text).toBe(
      'From: Ana Analyst <ana@example.org>\nTo: Desk Officer <desk@example.org>\nCc: ops@example.org\n' +
        'Date: 2024-05-03T10:15:00.000Z\nSubject: Convoy schedule update\n\nThe convoy moves at 06:00.\nConfirm by noon.',
    );
  });

  it('returns attachments as bytes that read as their own documents', async () => {
    const doc = await read('message.eml');
    expect(doc.attachments.map((a) => a.filename)).toEqual(['convoy.pdf', 'notes.txt']);
    const pdf = await readFile(fx.files['report.pdf']!);
    expect(Buffer.compare(Buffer.from(doc.attachments[0]!.bytes), pdf)).toBe(0);
    const inner = await readDocument(doc.attachments[0]!.bytes, { filename: 'convoy.pdf' });
    expect(inner.pages.map((p) => collapse(p.text))).toEqual(PDF_PAGES);
    expect(Buffer.from(doc.attachments[1]!.bytes).toString('utf8')).toBe('Attachment notes: bring spare tyres.');
  });

  it('converts an HTML-only body with the HTML reader (no script text)', async () => {
    const doc = await read('html-only.eml');
    const text = doc.pages[0]!.text;
    expect(text).toContain('The convoy moves at 06:00.');
    expect(text).not.toContain('HIDDEN');
    expect(text).not.toContain('<b>');
  });
});

describe('limits', () => {
  it('input over maxBytes is TOO_LARGE', async () => {
    const e = await read('log.txt', { maxBytes: 10 }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'TOO_LARGE', input: 'log.txt' });
  });
});
