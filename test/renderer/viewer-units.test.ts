/** The source viewer's pure pieces: finding a quote among text-layer runs, placing OCR boxes. */
import { describe, expect, it } from 'vitest';
import { boxPercent, findQuoteRuns } from '../../renderer/src/viewer/quote-match.js';

describe('findQuoteRuns', () => {
  const runs = ['Page two notes the second ', 'convoy was de-', 'layed by fog near Gray', ' Island.', 'Another line entirely.'];

  it('finds a quote split across runs, ignoring whitespace, hyphens and case', () => {
    expect(findQuoteRuns(runs, 'the second convoy was delayed by fog near Gray Island.')).toEqual([0, 1, 2, 3]);
    expect(findQuoteRuns(runs, 'DELAYED BY FOG')).toEqual([1, 2]);
  });

  it('folds ligatures (NFKC)', () => {
    expect(findQuoteRuns(['the ﬁrst ofﬁce'], 'first office')).toEqual([0]);
  });

  it('falls back to the longest findable head or tail, never below 12 characters', () => {
    // The tail differs from the page (a later edit), the head is there.
    expect(findQuoteRuns(runs, 'the second convoy was delayed by fog near Grey Islet, a long way off')).toEqual([0, 1, 2]);
    expect(findQuoteRuns(runs, 'nothing like it at all')).toEqual([]);
    expect(findQuoteRuns(runs, 'zz second')).toEqual([]);
  });

  it('finds nothing for an empty quote or page', () => {
    expect(findQuoteRuns(runs, '  ')).toEqual([]);
    expect(findQuoteRuns([], 'convoy')).toEqual([]);
  });
});

describe('boxPercent', () => {
  it('places a pixel box as percentages of the image, clamped to it', () => {
    expect(boxPercent([100, 50, 300, 150], 1000, 500)).toEqual({ left: 10, top: 10, width: 20, height: 20 });
    expect(boxPercent([-10, 0, 2000, 500], 1000, 500)).toEqual({ left: 0, top: 0, width: 100, height: 100 });
  });
});
