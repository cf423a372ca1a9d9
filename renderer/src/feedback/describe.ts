import type { FeedbackRow } from '../transport/types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One line saying what a piece of feedback said (its `data` differs by kind). */
export function describeFeedback(r: Pick<FeedbackRow, 'kind' | 'data'>): string {
  const d = r.data;
  const comment = str(d.comment) ? ` (${str(d.comment)})` : '';
  switch (r.kind) {
    case 'rating': {
      const v = d.rating;
      return (v === 'up' ? 'useful' : v === 'down' ? 'not useful' : typeof v === 'number' ? `${v} of 5` : 'rated') + comment;
    }
    case 'citation': {
      const chunk = str(d.chunkId);
      const note = str(d.note);
      return `citation ${str(d.verdict) ?? 'flagged'}${chunk ? ` (passage ${chunk.slice(0, 10)}…)` : ''}${note ? `: ${note}` : ''}${comment}`;
    }
    case 'correction':
      return `correction: ${str(d.correction) ?? ''}${comment}`;
    case 'preference':
      return `preferred ${str(d.preferred) ?? '?'} over ${str(d.otherAnswerId)?.slice(0, 10) ?? 'another answer'}${comment}`;
  }
}
