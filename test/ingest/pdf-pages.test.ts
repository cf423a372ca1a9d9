/**
 * A PDF read by two workers (pdf-pages.ts) must give exactly the document one
 * reader gives: same pages, same text, same metadata, whoever read which page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageSharePrimary, type RawPageText, newPageShare, SHARE_MIN_PAGES, stopHelper } from '../../ingest/documents/pdf-pages.js';
import { readPdf, readPdfPages } from '../../ingest/documents/pdf.js';
import type { ExtractedDocument } from '../../ingest/documents/types.js';
import { closeIsolatedReaders, isolatedReaderStats, readDocumentIsolated } from '../../ingest/documents/worker.js';
import { makePdf } from '../fixtures/documents/make-fixtures.js';

const SLOW = 60_000;
const PAGES = SHARE_MIN_PAGES + 16;

let bytes: Uint8Array;
let alone: ExtractedDocument;
beforeAll(async () => {
  const texts = Array.from({ length: PAGES }, (_, i) => `Page ${i + 1} of the patrol log. The convoy passed checkpoint ${i * 7} at dawn; fuel was low.`);
  // A blank page and a hyphenated line break: per-page results (pagesWithoutText, joined words) must survive the split.
  texts[3] = '';
  texts[5] = 'The road was im-\npassable after the rain.';
  // The note on the blank page makes this a pdf.js file: only pdf.js reads are shared (PDFium reads a page in a millisecond).
  bytes = new Uint8Array(await makePdf(texts, { title: 'Patrol log', noteOnBlankPages: true }));
  alone = await readPdf(bytes, { filename: 'log.pdf' });
}, SLOW);
afterAll(() => closeIsolatedReaders());

/** A primary whose helper runs in this thread, started when asked (or never). */
function share(cells: SharedArrayBuffer, helper: 'concurrent' | 'never' | Promise<{ joined: boolean; pages: RawPageText[] }>): PageSharePrimary & { asked: number } {
  let running: Promise<{ joined: boolean; pages: RawPageText[] }> | undefined = typeof helper === 'object' ? helper : undefined;
  const s = {
    cells,
    asked: 0,
    askHelp: (pages: number): void => {
      s.asked = pages;
      if (helper === 'concurrent') running = readPdfPages(bytes, { filename: 'log.pdf' }, cells);
    },
    helperPages: async (): Promise<RawPageText[]> => {
      if (!running) throw new Error('no helper joined, yet its pages were asked for');
      return (await running).pages;
    },
  };
  return s;
}

describe('a PDF shared between two readers', () => {
  it('the single reader’s document has the pages the test relies on', () => {
    expect(alone.metadata.textEngine).toBe('pdf.js');
    expect(alone.pages).toHaveLength(PAGES);
    expect(alone.metadata.pagesWithoutText).toEqual([4]);
    expect(alone.pages[5]!.text).toContain('impassable');
  });

  it('is the same document when the primary reads every page (no helper joins)', async () => {
    const s = share(newPageShare(), 'never');
    expect(await readPdf(bytes, { filename: 'log.pdf', pageShare: s })).toEqual(alone);
    expect(s.asked).toBe(PAGES);
  }, SLOW);

  it('is the same document when the helper reads every page', async () => {
    const cells = newPageShare();
    const helped = await readPdfPages(bytes, { filename: 'log.pdf' }, cells);
    expect(helped.joined).toBe(true);
    expect(helped.pages.map((p) => p.num)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
    expect(await readPdf(bytes, { filename: 'log.pdf', pageShare: share(cells, Promise.resolve(helped)) })).toEqual(alone);
  }, SLOW);

  it('is the same document when both read at once', async () => {
    expect(await readPdf(bytes, { filename: 'log.pdf', pageShare: share(newPageShare(), 'concurrent') })).toEqual(alone);
  }, SLOW);

  it('a helper told to stop claims nothing more, and one arriving after the primary finished does nothing', async () => {
    const stopped = newPageShare();
    stopHelper(stopped);
    expect(await readPdfPages(bytes, { filename: 'log.pdf' }, stopped)).toEqual({ joined: true, pages: [] });
    const late = newPageShare();
    await readPdf(bytes, { filename: 'log.pdf', pageShare: share(late, 'never') });
    expect(await readPdfPages(bytes, { filename: 'log.pdf' }, late)).toEqual({ joined: false, pages: [] });
  }, SLOW);

  it('through the worker pool, with a second reader idle to help, gives the same document as one reader', async () => {
    // Two reads at once leave two warm readers; the next big PDF can borrow the idle one.
    const small = new Uint8Array(await makePdf(['warm-up page with some words']));
    await Promise.all([readDocumentIsolated(small, { filename: 'a.pdf' }), readDocumentIsolated(small, { filename: 'b.pdf' })]);
    const before = isolatedReaderStats();
    expect(await readDocumentIsolated(bytes, { filename: 'log.pdf' })).toEqual(alone);
    expect(isolatedReaderStats().helpersLent).toBe(before.helpersLent + 1);
    expect(isolatedReaderStats().spawned).toBe(before.spawned);
    // A read that needs a reader while the other is out helping gets that one (told to stop), not a new worker.
    const lent = isolatedReaderStats().helpersLent;
    const big = readDocumentIsolated(bytes, { filename: 'log.pdf' });
    while (isolatedReaderStats().helpersLent === lent) await new Promise((r) => setTimeout(r, 2));
    const both = await Promise.all([big, readDocumentIsolated(small, { filename: 'c.pdf' })]);
    expect(both[0]).toEqual(alone);
    expect(both[1].pages[0]!.text).toContain('warm-up');
    // The helper is never an extra worker: at most the two already started.
    expect(isolatedReaderStats().spawned).toBe(before.spawned);
  }, SLOW);
});
