/**
 * Sentence spans (main/core/sentences.ts): ICU breaks after every period,
 * so abbreviations are repaired; quotes and the composer's sentences come
 * from these spans.
 */
import { describe, expect, it } from 'vitest';
import { sentenceSpans } from '../main/core/sentences.js';

const texts = (t: string): string[] => sentenceSpans(t).map((s) => s.text);

describe('sentence spans', () => {
  it('keeps titles and initials inside their sentence, and still ends real sentences', () => {
    expect(texts('Dr. Varga met Gen. Kessel at 0400. The convoy left.')).toEqual(['Dr. Varga met Gen. Kessel at 0400.', 'The convoy left.']);
    expect(texts('J. R. Smith wrote it. Nobody read it.')).toEqual(['J. R. Smith wrote it.', 'Nobody read it.']);
  });

  it('keeps a Thai era abbreviation (พ.ศ.) with the year after it', () => {
    const t = 'พญามังรายทรงสร้างเมืองเชียงใหม่ในปี พ.ศ. 1839 ดอยสุเทพเป็นภูเขา';
    expect(texts(t)).toEqual([t]);
  });

  it('gives offsets into the text', () => {
    const t = 'First one. Second one.';
    for (const s of sentenceSpans(t)) expect(t.slice(s.start, s.end)).toBe(s.text);
  });
});
