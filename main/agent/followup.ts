/**
 * Follow-up questions without a model: "and when did it leave?" says little
 * on its own. When a question in a conversation looks like a follow-up, the
 * content words of the questions before it are carried over: added to the
 * retrieval query, and given to the extractive composer as context terms
 * (weighted below the question's own words).
 */
import { contentWords } from '../embed/tokens.js';
import type { Conversation } from './conversation.js';
import { answerTerms } from './terms.js';

/** Words that point back at something said before (the stop list drops them from content words). */
const ANAPHORA = new Set(['it', 'its', 'itself', 'they', 'them', 'their', 'theirs', 'he', 'him', 'his', 'she', 'her', 'hers', 'there', 'that', 'this', 'those', 'these', 'then', 'same']);
/** Openings that continue the previous question. */
const CONTINUATION = /^\s*(and|also|but|so|then|what about|how about|and what about|same for|what else)\b/i;
/** A question with this few content words leans on its context. */
const SHORT = 2;
/** How many earlier questions a chain of follow-ups may reach back. */
const MAX_BACK = 3;

export interface FollowUp {
  /** True when earlier questions were carried over. */
  isFollowUp: boolean;
  /** The query to retrieve with: the question plus the carried-over words. */
  query: string;
  /** Carried-over content words (unstemmed, for retrieval). */
  carried: string[];
  /** The same as stemmed terms, for the composer. */
  contextTerms: string[];
}

export function looksLikeFollowUp(question: string): boolean {
  if (CONTINUATION.test(question)) return true;
  const words = question.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.some((w) => ANAPHORA.has(w))) return true;
  return contentWords(question).length <= SHORT;
}

/**
 * The question as retrieval and composition should see it, given the
 * conversation so far. A question that stands on its own is left alone.
 */
export function followUpQuery(question: string, conversation: Pick<Conversation, 'turns'>): FollowUp {
  const earlier = conversation.turns.map((t) => t.question);
  if (earlier.length === 0 || !looksLikeFollowUp(question)) return { isFollowUp: false, query: question, carried: [], contextTerms: [] };
  // Walk back through a chain of follow-ups to the question that named the subject.
  const reach: string[] = [];
  for (let i = earlier.length - 1; i >= 0 && reach.length < MAX_BACK; i--) {
    reach.push(earlier[i]!);
    if (!looksLikeFollowUp(earlier[i]!)) break;
  }
  const own = new Set(contentWords(question));
  const carried = [...new Set(reach.flatMap((q) => contentWords(q)))].filter((w) => !own.has(w));
  if (carried.length === 0) return { isFollowUp: false, query: question, carried: [], contextTerms: [] };
  const ownStems = new Set(answerTerms(question));
  const contextTerms = [...new Set(answerTerms(carried.join(' ')))].filter((t) => !ownStems.has(t));
  return { isFollowUp: true, query: `${question} ${carried.join(' ')}`, carried, contextTerms };
}
