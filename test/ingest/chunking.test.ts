import { describe, expect, it } from 'vitest';
import { type ChunkDraft, chunkPages, splitSentences } from '../../ingest/chunking.js';
import { boundedSegments } from '../../main/core/sentences.js';
import type { PageText } from '../../main/core/types.js';

/** Deterministic prose: numbered sentences of varying length. */
function prose(page: number, sentences: number): string {
  const out: string[] = [];
  for (let i = 1; i <= sentences; i++) {
    const filler = ' and the patrol reported nothing unusual'.repeat(1 + ((i * 7 + page) % 4));
    out.push(`Sentence ${i} of page ${page} says the convoy moved${filler}.`);
    if (i % 6 === 0) out.push('\n\n');
  }
  return out.join(' ');
}

function checkInvariants(pages: PageText[], chunks: ChunkDraft[], target: number): void {
  const byPage = new Map(pages.map((p) => [p.page, p.text]));
  chunks.forEach((c, i) => {
    const text = byPage.get(c.page)!;
    expect(c.ordinal).toBe(i);
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.end).toBeLessThanOrEqual(text.length);
    expect(c.text.length).toBeLessThanOrEqual(target);
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.text).toBe(c.text.trim());
  });
}

describe('splitSentences', () => {
  it('gives trimmed sentences with exact offsets', () => {
    const text = '  The ship left at dawn. Dr. Lee was aboard!  Was the cargo checked?\n\nNext paragraph here. ';
    const spans = splitSentences(text);
    expect(spans.map((s) => s.text)).toEqual(['The ship left at dawn.', 'Dr. Lee was aboard!', 'Was the cargo checked?', 'Next paragraph here.']);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('chunkPages', () => {
  const pages: PageText[] = [
    { page: 1, text: prose(1, 40) },
    { page: 2, text: '   \n\n  ' },
    { page: 3, text: prose(3, 25) },
    { page: 4, text: 'A short last page.' },
  ];

  it('keeps text === page.slice(start, end), trimmed, within target, ordinals in order', () => {
    const chunks = chunkPages(pages);
    checkInvariants(pages, chunks, 1000);
  });

  it('never crosses a page and skips whitespace-only pages', () => {
    const chunks = chunkPages(pages);
    expect(new Set(chunks.map((c) => c.page))).toEqual(new Set([1, 3, 4]));
    expect(chunks.at(-1)).toMatchObject({ page: 4, start: 0, text: 'A short last page.' });
  });

  it('fills chunks close to the target', () => {
    const chunks = chunkPages(pages, { target: 600, overlap: 100 });
    // Every chunk except the last of its page is at least half the target.
    const lastOfPage = new Set(pages.map((p) => chunks.filter((c) => c.page === p.page).at(-1)));
    const inner = chunks.filter((c) => !lastOfPage.has(c));
    expect(inner.length).toBeGreaterThan(5);
    for (const c of inner) expect(c.text.length).toBeGreaterThan(300);
  });

  it('overlaps neighbours by whole trailing sentences within the budget', () => {
    const overlap = 150;
    const chunks = chunkPages([pages[0]!], { target: 700, overlap });
    const starts = new Set(splitSentences(pages[0]!.text).map((s) => s.start));
    let overlapped = 0;
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const cur = chunks[i]!;
      expect(cur.start).toBeGreaterThan(prev.start); // always progresses
      expect(starts.has(cur.start)).toBe(true); // starts on a sentence
      if (cur.start < prev.end) {
        overlapped++;
        expect(prev.end - cur.start).toBeLessThanOrEqual(overlap);
      }
    }
    expect(overlapped).toBeGreaterThan(0);
  });

  it('with overlap 0, chunks tile the page without sharing text', () => {
    const chunks = chunkPages([pages[0]!], { target: 500, overlap: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeGreaterThanOrEqual(chunks[i - 1]!.end);
  });

  it('splits a sentence longer than the target at word boundaries', () => {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const page = { page: 1, text };
    const chunks = chunkPages([page], { target: 200, overlap: 0 });
    checkInvariants([page], chunks, 200);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text).toMatch(/^word\d+( word\d+)*$/);
    expect(chunks.map((c) => c.text).join(' ')).toBe(text);
  });

  it('cuts an unbroken token longer than the target without splitting surrogate pairs', () => {
    const text = `${'x'.repeat(250)}😀${'y'.repeat(250)}`;
    const page = { page: 1, text };
    const chunks = chunkPages([page], { target: 100, overlap: 0 });
    checkInvariants([page], chunks, 100);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
    for (const c of chunks) expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('chunks CJK text that has no spaces', () => {
    const text = '将需要关注的文档保存到本地。'.repeat(60);
    const page = { page: 1, text };
    const chunks = chunkPages([page], { target: 120, overlap: 20 });
    checkInvariants([page], chunks, 120);
    expect(chunks.length).toBeGreaterThan(5);
  });

  it('returns nothing for no pages or blank pages', () => {
    expect(chunkPages([])).toEqual([]);
    expect(chunkPages([{ page: 1, text: '' }, { page: 2, text: ' \n ' }])).toEqual([]);
  });

  it('segments window by window exactly as one pass over the whole text would', () => {
    // Abbreviations, initials, headings and blank lines straddle many 4 kB window edges.
    const text = Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? `Heading ${i}\n\n` : '') + `Dr. J. Smith met Col. Ray at No. ${i} on Jan. ${(i % 28) + 1}; they saw ${i * 3} trucks. `).join('');
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    const whole = [...segmenter.segment(text)].map((s) => [s.index, s.segment]);
    const windowed = [...boundedSegments(segmenter, text)].map((s) => [s.index, s.segment]);
    expect(text.length).toBeGreaterThan(20_000);
    expect(windowed).toEqual(whole);
  });

  it('chunks multi-megabyte run-on, unspaced and many-line pages (these once hung for minutes)', () => {
    const words = Array.from({ length: 600_000 }, (_, i) => ['alpha', 'No.', 'bravo', 'delta.', 'echo'][i % 5]).join(' ');
    const pages: PageText[] = [
      { page: 1, text: words },
      { page: 2, text: 'x'.repeat(3_000_000) },
      { page: 3, text: words.replace(/\./g, '').replace(/ /g, '\n') },
    ];
    const chunks = chunkPages(pages, { target: 1000, overlap: 150 });
    checkInvariants(pages, chunks, 1000);
    expect(chunks.filter((c) => c.page === 2).map((c) => c.text).join('')).toBe(pages[1]!.text);
  });
});
