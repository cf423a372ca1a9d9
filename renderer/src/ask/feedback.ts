import type { Citation, FeedbackInput } from '../transport/types.js';

/** What a piece of feedback said, in words, for the confirmation line. */
export function feedbackSummary(input: Omit<FeedbackInput, 'answerId'>, citations: { n: number; citation: Citation }[]): string {
  if (input.rating !== undefined) return input.rating === 'up' ? 'Rated useful.' : input.rating === 'down' ? 'Rated not useful.' : `Rated ${input.rating} of 5.`;
  if (input.citation) {
    const n = citations.find((c) => c.citation.chunkId === input.citation?.chunkId)?.n;
    return `${n === undefined ? 'A citation' : `Citation ${n}`} flagged as ${input.citation.verdict}.`;
  }
  if (input.correction !== undefined) return 'Correction saved.';
  return 'Feedback saved.';
}
