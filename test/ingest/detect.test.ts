import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { detectFormat } from '../../ingest/documents/detect.js';
import { type FixtureSet, writeFixtures } from '../fixtures/documents/make-fixtures.js';

let fx: FixtureSet;
beforeAll(async () => {
  fx = await writeFixtures(await mkdtemp(path.join(os.tmpdir(), 'cairn-detect-')));
});
afterAll(async () => {
  await rm(fx.dir, { recursive: true, force: true });
});

async function detectFile(name: string) {
  return detectFormat(await readFile(fx.files[name]!), name);
}

async function detectError(bytes: Uint8Array, name: string): Promise<CairnError> {
  const e = await detectFormat(bytes, name).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CairnError);
  return e as CairnError;
}

describe('detectFormat: from the bytes, not the name', () => {
  it.each([
    ['report.pdf', 'pdf'],
    ['report-pdf.txt', 'pdf'],
    ['review.docx', 'docx'],
    ['page.html', 'html'],
    ['page.md', 'html'],
    ['notes.md', 'markdown'],
    ['log.txt', 'text'],
    ['message.eml', 'email'],
    ['html-only.eml', 'email'],
  ])('%s is %s', async (name, format) => {
    expect((await detectFile(name)).format).toBe(format);
  });

  it('hands the decoded text to text readers', async () => {
    const d = await detectFile('notes.md');
    expect(d.text).toContain('# Field Notes');
    expect(d.mime).toBe('text/markdown');
  });

  it('finds a PDF header after leading junk', async () => {
    const pdf = await readFile(fx.files['report.pdf']!);
    expect((await detectFormat(Buffer.concat([Buffer.from('junk before header\n'), pdf]), 'x.bin')).format).toBe('pdf');
  });

  it('a note that mentions "%PDF-1.7" in a sentence is text, not a PDF', async () => {
    const d = await detectFormat(Buffer.from('Every PDF starts with a header such as %PDF-1.7 on its first line.'), 'note.txt');
    expect(d.format).toBe('text');
  });

  it('reads BOM-marked UTF-16 text', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Shift log: all quiet.', 'utf16le')]);
    const d = await detectFormat(utf16, 'log16.txt');
    expect(d).toMatchObject({ format: 'text', text: 'Shift log: all quiet.' });
  });

  it('does not mistake "Key: value" notes for e-mail', async () => {
    const d = await detectFormat(Buffer.from('Title: Weekly notes\nAuthor: Sam\n\nNothing new this week.'), 'notes.txt');
    expect(d.format).toBe('text');
  });

  it('does not call plain text with a dash list Markdown', async () => {
    expect((await detectFormat(Buffer.from('Things to pack\n- rope\nand a torch.'), 'x.txt')).format).toBe('text');
  });
});

describe('detectFormat: refusals', () => {
  it('an empty file is EMPTY_FILE', async () => {
    const e = await detectError(new Uint8Array(0), 'empty.txt');
    expect(e.code).toBe('EMPTY_FILE');
    expect(e.input).toBe('empty.txt');
  });

  it('a PNG is UNSUPPORTED_TYPE, naming the type and the file', async () => {
    const e = await detectError(await readFile(fx.files['image.png']!), 'image.png');
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toContain('image/png');
    expect(e.message).toContain('image.png');
  });

  it('a PNG named .pdf is still a PNG', async () => {
    const e = await detectError(await readFile(fx.files['image.png']!), 'scan.pdf');
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toContain('image/png');
  });

  it('a zip that is not a DOCX is UNSUPPORTED_TYPE', async () => {
    // Empty zip archive: just the end-of-central-directory record.
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
    const e = await detectError(zip, 'archive.docx');
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toContain('zip');
  });

  it('binary data with NUL bytes is UNSUPPORTED_TYPE', async () => {
    const e = await detectError(await readFile(fx.files['binary.dat']!), 'binary.dat');
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toContain('binary');
  });

  it('invalid UTF-8 (a Latin-1 file) is UNSUPPORTED_TYPE, saying to convert it', async () => {
    const e = await detectError(await readFile(fx.files['latin1.txt']!), 'latin1.txt');
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(e.message).toMatch(/not valid UTF-8/);
  });

  it('text bytes named .pdf are a damaged PDF, not a text document', async () => {
    const e = await detectError(Buffer.from('oops\n'), 'bad1.pdf');
    expect(e.code).toBe('PDF_INVALID');
  });
});

describe('XML that is not a document', () => {
  it('refuses an SVG with an external entity instead of indexing it', async () => {
    const { detectFormat } = await import('../../ingest/documents/detect.js');
    const svg = '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>';
    await expect(detectFormat(new TextEncoder().encode(svg), 'x.svg')).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });
});
