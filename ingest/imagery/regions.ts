/**
 * Cuts an OCR result into citable regions: consecutive lines in tesseract's
 * reading order, never across a layout block, preferring paragraph breaks,
 * each at most ~maxChars. A region's text is exactly
 * `result.text.slice(start, end)` and its bbox is the union of its lines'
 * (or words', when one line alone is too long) boxes, in displayed pixels.
 */

import type { BBox } from '../../main/core/types.js';
import type { OcrRegion, OcrResult } from './types.js';

function union(boxes: BBox[]): BBox {
  return boxes.reduce<BBox>((u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}

export function ocrRegions(result: OcrResult, maxChars = 1000): OcrRegion[] {
  const limit = Math.max(20, maxChars);
  const regions: OcrRegion[] = [];
  let first = -1; // first line of the open region
  const words = (from: number, to: number) => result.words.slice(from, to);
  const emit = (start: number, end: number, wordFrom: number, wordTo: number, boxes: BBox[]): void => {
    const ws = words(wordFrom, wordTo);
    const confidence = ws.length ? Math.round((ws.reduce((s, w) => s + w.confidence, 0) / ws.length) * 10) / 10 : 0;
    regions.push({ text: result.text.slice(start, end), bbox: union(boxes), confidence, start, end });
  };
  const close = (last: number): void => {
    if (first < 0) return;
    const lines = result.lines.slice(first, last + 1);
    emit(result.lines[first]!.start, result.lines[last]!.end, lines[0]!.wordStart, lines[lines.length - 1]!.wordEnd, lines.map((l) => l.bbox));
    first = -1;
  };
  result.lines.forEach((line, i) => {
    if (line.text.length > limit) {
      close(i - 1);
      splitLongLine(i);
      return;
    }
    if (first >= 0) {
      const open = result.lines[first]!;
      const size = result.lines[i - 1]!.end - open.start;
      const prev = result.lines[i - 1]!;
      const newParagraph = prev.paragraph !== line.paragraph;
      if (open.block !== line.block || size + 1 + line.text.length > limit || (newParagraph && size >= limit * 0.6)) close(i - 1);
    }
    if (first < 0) first = i;
  });
  close(result.lines.length - 1);
  return regions;

  function splitLongLine(i: number): void {
    const line = result.lines[i]!;
    let pos = line.start;
    let from = line.wordStart;
    let start = pos;
    for (let w = line.wordStart; w < line.wordEnd; w++) {
      const len = result.words[w]!.text.length;
      if (w > from && pos + len - start > limit) {
        emit(start, pos - 1, from, w, words(from, w).map((x) => x.bbox));
        from = w;
        start = pos;
      }
      pos += len + 1;
    }
    emit(start, pos - 1, from, line.wordEnd, words(from, line.wordEnd).map((x) => x.bbox));
  }
}
