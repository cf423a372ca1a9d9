import { describe, expect, it } from 'vitest';
import { composeExtractive } from '../../main/agent/extractive.js';
import type { ScoredChunk } from '../../main/core/types.js';

// A page of text and chunks that are exact slices of it, as ingest makes them.
const page =
  'MARITIME SITUATION REPORT\nThe tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time. ' +
  'It carried 40,000 tonnes of diesel.\n\nHarbour master Ilse Varga logged the arrival. Weather was calm.';

function chunkAt(text: string, from: number, to: number, ordinal: number, title = 'Sitrep'): ScoredChunk {
  return { id: `c${ordinal}`.padEnd(64, '0'), sourceId: 'a'.repeat(64), ordinal, text: text.slice(from, to), page: 2, start: from, end: to, marking: 'UNCLASSIFIED', score: 1, title };
}

describe('composeExtractive', () => {
  const split = page.indexOf('Harbour master');
  const chunks = [chunkAt(page, 0, split - 2, 0), chunkAt(page, split, page.length, 1)];

  it('answers with sentences copied from the passages, cited to exact page offsets', () => {
    const r = composeExtractive('When did the Blue Heron arrive at Port Sarn?', chunks);
    expect(r.found).toBe(true);
    expect(r.sentences[0]!.text).toBe('The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time.');
    for (const s of r.sentences) {
      for (const c of s.citations) {
        expect(page.slice(c.start, c.end)).toBe(c.quote);
        expect(c.page).toBe(2);
        expect(c.title).toBe('Sitrep');
      }
    }
  });

  it('picks the sentence that holds the asked-for fact', () => {
    const r = composeExtractive('Who logged the arrival?', chunks);
    expect(r.sentences[0]!.text).toBe('Harbour master Ilse Varga logged the arrival.');
  });

  it('says nothing and cites nothing when the passages do not cover the question', () => {
    const r = composeExtractive('What is the population of the capital of Freedonia?', chunks);
    expect(r.found).toBe(false);
    expect(r.sentences).toEqual([]);
    expect(r.bestCoverage).toBeLessThan(0.5);
  });

  it('meets hyphenated and possessive words part by part ("high pressure" / "high-pressure", "Evans" / "Evans\'s")', () => {
    const text =
      'In 1801 Oliver Evans built engines that used high-pressure steam. Watt kept to engines that used low pressure. ' +
      "Evans's mill at Wilmington was automated with elevators and conveyors. The region also exported flour by ship.";
    const pool = [chunkAt(text, 0, text.length, 0, 'Engines')];
    // Taken whole, "high-pressure" met neither "high" nor "pressure", and Watt's sentence won.
    expect(composeExtractive('Which engines used high pressure?', pool).sentences[0]!.text).toBe('In 1801 Oliver Evans built engines that used high-pressure steam.');
    expect(composeExtractive('Where was the mill of Evans?', pool).sentences[0]!.text).toBe("Evans's mill at Wilmington was automated with elevators and conveyors.");
  });

  it('handles questions made only of stop words and an empty pool', () => {
    expect(composeExtractive('what is it?', chunks).found).toBe(false);
    expect(composeExtractive('Blue Heron', []).found).toBe(false);
  });

  it('cites a sentence repeated by overlapping chunks once', () => {
    const overlapping = [chunkAt(page, 26, 137, 0), chunkAt(page, 26, 137, 1)];
    const r = composeExtractive('Blue Heron diesel tonnes', overlapping, { maxSentences: 5 });
    const quotes = r.sentences.map((s) => s.citations[0]!.quote);
    expect(new Set(quotes).size).toBe(quotes.length);
  });
});
