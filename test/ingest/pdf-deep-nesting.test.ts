import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../ingest/documents/index.js';
import { toPdfError } from '../../ingest/documents/pdf.js';
import { VARIANTS } from '../fixtures/hostile/variants.js';

describe('a PDF whose objects nest 100,000 deep', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-pdf-deep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // PDFium stops descending at its own depth limit and reads the page's text.
  for (const [name, text] of [['pdf-nested-arrays-100k.pdf', 'Nested arrays page.'], ['pdf-nested-dicts-100k.pdf', 'Nested dictionaries page.']] as const) {
    it(`${name}: its page text is read, the junk ignored`, async () => {
      const c = await VARIANTS[name]!(dir, { quick: true } as never);
      const doc = await readDocument(await readFile(c.path), { filename: name } as never);
      expect(doc.pages.map((p) => p.text)).toEqual([text]);
      expect(doc.metadata.textEngine).toBe('pdfium');
    });
  }

  it('pdf.js, which recurses until the stack overflows, is refused as PDF_INVALID with a plain reason', () => {
    // What pdf.js throws on such a file when it reads it (a file PDFium leaves to it, e.g. with a password).
    const err = toPdfError(new RangeError('Maximum call stack size exceeded'), { filename: 'deep.pdf' });
    expect(err).toMatchObject({ code: 'PDF_INVALID', message: expect.stringMatching(/nested too deeply/) });
    expect(err.message).not.toMatch(/call stack/i);
  });
});
