/**
 * The renderer's pure pieces behind conversations, feedback and desktop drop
 * ingest, in Node: a saved conversation read back as turns, citation
 * numbering for the feedback form, and feedback wording. (The desktop drop
 * call through the IPC transport needs DOM types: conversations-e2e.test.ts
 * drives it in Chromium.)
 */
import { describe, expect, it } from 'vitest';
import { numberCitations, numberedCitations } from '../../renderer/src/ask/citations.js';
import { feedbackSummary } from '../../renderer/src/ask/feedback.js';
import { turnsFromConversation } from '../../renderer/src/ask/restore.js';
import { describeFeedback } from '../../renderer/src/feedback/describe.js';
import type { Citation, ConversationView, Sentence } from '../../renderer/src/transport/types.js';

const passage = (ref: string, chunkId: string, text: string, marking = 'SECRET') => ({ ref, chunkId, sourceId: `s-${chunkId}`, title: `T${chunkId}`, page: 2, start: 10, end: 10 + text.length, marking, text });

const view: ConversationView = {
  id: 'conv-1',
  createdAt: '2031-03-14T00:00:00Z',
  updatedAt: '2031-03-14T00:05:00Z',
  turns: [
    {
      question: 'When did it arrive?',
      answer: 'It arrived on 12 March. It left on 15 March.',
      at: '2031-03-14T00:00:00Z',
      sentences: [
        { text: 'It arrived on 12 March.', refs: ['c1'], withheld: false },
        { text: 'It left on 15 March.', refs: ['c1', 'c2'], withheld: false },
      ],
      banner: 'SECRET',
      auditId: 'a'.repeat(64),
    },
    { question: 'Who paid?', answer: 'No relevant passages were found.', at: '2031-03-14T00:01:00Z', sentences: [], banner: 'UNCLASSIFIED', auditId: 'b'.repeat(64) },
    {
      question: 'And the cargo?',
      answer: '[withheld] It carried parts.',
      at: '2031-03-14T00:02:00Z',
      sentences: [
        { text: '[withheld: cites a passage above your clearance]', refs: [], withheld: true },
        { text: 'It carried parts.', refs: ['c2'], withheld: false },
      ],
      banner: 'CONFIDENTIAL',
    },
  ],
  passages: [passage('c1', 'k1', 'Harbour log. It arrived on 12 March.'), passage('c2', 'k2', 'It left on 15 March. It carried parts.', 'CONFIDENTIAL')],
  withheld: 1,
  banner: 'SECRET',
};

describe('turnsFromConversation', () => {
  const turns = turnsFromConversation(view, 7);

  it('numbers the turns from the given id and keeps question, time, banner and auditId', () => {
    expect(turns.map((t) => [t.id, t.question, t.askedAt, t.status, t.restored, t.answer?.banner, t.answer?.auditId, t.answer?.conversationId])).toEqual([
      [7, 'When did it arrive?', '2031-03-14T00:00:00Z', 'done', true, 'SECRET', 'a'.repeat(64), 'conv-1'],
      [8, 'Who paid?', '2031-03-14T00:01:00Z', 'done', true, 'UNCLASSIFIED', 'b'.repeat(64), 'conv-1'],
      [9, 'And the cargo?', '2031-03-14T00:02:00Z', 'done', true, 'CONFIDENTIAL', '', 'conv-1'],
    ]);
  });

  it('turns refs into citations of the quoted span (the whole passage for a paraphrase), and keeps the passages for the source panel', () => {
    const a = turns[0]!.answer!;
    expect(a.sentences.map((s) => s.citations.map((c) => c.chunkId))).toEqual([['k1'], ['k1', 'k2']]);
    expect(a.citations.map((c) => [c.chunkId, c.quote, c.page, c.start, c.end])).toEqual([
      // Quoted word for word: the sentence's span in the passage (page offsets).
      ['k1', 'It arrived on 12 March.', 2, 23, 46],
      // The second sentence is not in k1: the whole passage.
      ['k1', 'Harbour log. It arrived on 12 March.', 2, 10, 46],
      ['k2', 'It left on 15 March.', 2, 10, 30],
    ]);
    expect(turns[2]!.answer!.sentences[1]!.citations[0]).toMatchObject({ chunkId: 'k2', quote: 'It carried parts.', start: 31, end: 48 });
    expect([...turns[0]!.passages.keys()]).toEqual(['k1', 'k2']);
    expect(turns[0]!.passages.get('k2')).toMatchObject({ marking: 'CONFIDENTIAL', locator: { page: 2, start: 10 } });
  });

  it('keeps a no-evidence turn as one (no sentences) and marks withheld sentences without citations', () => {
    expect(turns[1]!.answer!.sentences).toEqual([]);
    expect(turns[1]!.answer!.answer).toBe('No relevant passages were found.');
    const s = turns[2]!.answer!.sentences;
    expect(s.map((x: Sentence) => [x.withheld ?? false, x.citations.length])).toEqual([
      [true, 0],
      [false, 1],
    ]);
  });
});

describe('citation numbering for feedback', () => {
  const c = (chunkId: string, start: number): Citation => ({ sourceId: 's', chunkId, title: 'T', page: 1, start, end: start + 5, quote: 'x' });

  it('lists each distinct citation once with the number its chip shows', () => {
    const listed = [c('a', 0), c('b', 0)];
    const used = [c('b', 0), c('a', 9), c('a', 0)];
    const nums = numberCitations(listed, used);
    const list = numberedCitations(listed, used);
    expect(list.map((x) => [x.citation.chunkId, x.citation.start, x.n])).toEqual([
      ['a', 0, 1],
      ['b', 0, 2],
      ['a', 9, 3],
    ]);
    for (const x of list) expect(nums.get(`${x.citation.chunkId}:${x.citation.start}:${x.citation.end}`)).toBe(x.n);
  });

  it('says what was recorded', () => {
    const list = [{ n: 2, citation: c('b', 0) }];
    expect(feedbackSummary({ rating: 'up' }, list)).toBe('Rated useful.');
    expect(feedbackSummary({ rating: 'down' }, list)).toBe('Rated not useful.');
    expect(feedbackSummary({ rating: 4 }, list)).toBe('Rated 4 of 5.');
    expect(feedbackSummary({ citation: { verdict: 'wrong', chunkId: 'b' } }, list)).toBe('Citation 2 flagged as wrong.');
    expect(feedbackSummary({ citation: { verdict: 'missing' } }, list)).toBe('A citation flagged as missing.');
    expect(feedbackSummary({ correction: 'x' }, list)).toBe('Correction saved.');
  });

  it('describes stored feedback rows for the reviewer', () => {
    expect(describeFeedback({ kind: 'rating', data: { rating: 'down', comment: 'vague' } })).toBe('not useful (vague)');
    expect(describeFeedback({ kind: 'citation', data: { verdict: 'wrong', chunkId: '0123456789abcdef', note: 'other ship' } })).toBe('citation wrong (passage 0123456789…): other ship');
    expect(describeFeedback({ kind: 'correction', data: { correction: 'It was 13 March.' } })).toBe('correction: It was 13 March.');
    expect(describeFeedback({ kind: 'preference', data: { preferred: 'other', otherAnswerId: 'f'.repeat(64) } })).toBe(`preferred other over ${'f'.repeat(10)}`);
  });
});
