/**
 * ocrRegions on hand-made OCR results: reading order kept, never across a
 * layout block, at most maxChars, over-long lines split at words, every
 * region an exact slice of the text with the union of its boxes.
 */
import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../main/core/types.js';
import { ocrRegions, type OcrLine, type OcrResult, type OcrWord } from '../../../ingest/imagery/index.js';

/** Builds an OcrResult the way ocr.ts does: words joined by spaces, lines by \n, paragraphs and blocks by a blank line. */
function result(blocks: string[][][]): OcrResult {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  let text = '';
  let y = 0;
  blocks.forEach((paras, block) =>
    paras.forEach((paraLines, paragraph) =>
      paraLines.forEach((lineText) => {
        const prev = lines[lines.length - 1];
        if (prev) text += prev.block !== block || prev.paragraph !== paragraph ? '\n\n' : '\n';
        const wordStart = words.length;
        let x = 10;
        for (const w of lineText.split(' ')) {
          words.push({ text: w, bbox: [x, y, x + w.length * 10, y + 20], confidence: 90 });
          x += (w.length + 1) * 10;
        }
        const start = text.length;
        text += lineText;
        const bbox: BBox = [10, y, x - 10, y + 20];
        lines.push({ text: lineText, bbox, confidence: 90, block, paragraph, wordStart, wordEnd: words.length, start, end: text.length });
        y += 30;
      }),
    ),
  );
  return { text, words, lines, meanConfidence: 90, lowConfidenceShare: 0, rotation: 0, languages: ['eng'], width: 5000, height: y + 10, ms: 0 };
}

describe('ocrRegions', () => {
  it('one short block is one region whose bbox is the union of its lines', () => {
    const r = result([[['alpha beta', 'gamma delta epsilon']]]);
    const regions = ocrRegions(r);
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject({ text: 'alpha beta\ngamma delta epsilon', start: 0, end: r.text.length, bbox: [10, 0, 200, 50], confidence: 90 });
  });

  it('never joins two layout blocks', () => {
    const r = result([[['left column text']], [['right column text']]]);
    const regions = ocrRegions(r);
    expect(regions.map((g) => g.text)).toEqual(['left column text', 'right column text']);
  });

  it('cuts at maxChars, preferring paragraph breaks, in reading order, covering every line once', () => {
    const para = (n: number) => Array.from({ length: 4 }, (_, i) => `paragraph ${n} line ${i} with some words`);
    const r = result([[para(1), para(2), para(3), para(4)]]);
    const regions = ocrRegions(r, 200);
    expect(regions.length).toBeGreaterThan(2);
    for (const g of regions) {
      expect(g.text.length).toBeLessThanOrEqual(200);
      expect(g.text).toBe(r.text.slice(g.start, g.end));
      expect(g.text.startsWith('paragraph')).toBe(true);
    }
    for (let i = 1; i < regions.length; i++) expect(regions[i]!.start).toBeGreaterThan(regions[i - 1]!.end);
    expect(regions.map((g) => g.text).join(' ').replace(/\s+/g, ' ')).toBe(r.text.replace(/\s+/g, ' '));
  });

  it('splits a line longer than maxChars at word boundaries with word boxes', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const r = result([[['short line', long, 'tail']]]);
    const regions = ocrRegions(r, 100);
    const pieces = regions.filter((g) => g.text.startsWith('word'));
    expect(pieces.length).toBeGreaterThan(3);
    for (const g of regions) {
      expect(g.text.length).toBeLessThanOrEqual(100);
      expect(g.text).toBe(r.text.slice(g.start, g.end));
      expect(g.text).not.toMatch(/^\s|\s$/);
    }
    expect(pieces.map((g) => g.text).join(' ')).toBe(long);
    expect(pieces[1]!.bbox[0]).toBeGreaterThan(pieces[0]!.bbox[0]);
  });

  it('no lines, no regions', () => {
    expect(ocrRegions(result([]))).toEqual([]);
  });
});
