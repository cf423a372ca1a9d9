import type { AnswerOutput, Citation, SearchHit, Sentence } from '../transport/types.js';

/** One question and what became of it. */
export interface Turn {
  id: number;
  question: string;
  askedAt: string;
  status: 'pending' | 'done' | 'error';
  /** Sentences streamed before the answer completed. */
  partial: Sentence[];
  answer?: AnswerOutput;
  error?: string;
  /** Retrieved passages by chunk id, to show a citation inside its chunk. */
  passages: Map<string, SearchHit>;
  /** Read back from a saved conversation (a paraphrased sentence cites its whole passage). */
  restored?: boolean;
}

export interface OpenCitation {
  turnId: number;
  citation: Citation;
  n: number;
}
