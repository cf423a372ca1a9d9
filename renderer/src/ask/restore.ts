import type { AnswerOutput, Citation, ConversationView, SearchHit, Sentence } from '../transport/types.js';
import { citationKey } from './citations.js';
import type { Turn } from './turn.js';

type Passage = ConversationView['passages'][number];

/**
 * A stored passage as a sentence's citation. The conversation keeps which
 * passages a sentence cites, not the quoted span: when the sentence is
 * quoted word for word from the passage (the extractive composer's are) the
 * citation is that span, otherwise (a model's paraphrase) the whole passage.
 */
export function passageCitation(p: Passage, sentence?: string): Citation {
  const at = sentence ? p.text.indexOf(sentence) : -1;
  const span = sentence && at >= 0 ? { start: p.start + at, end: p.start + at + sentence.length, quote: sentence } : { start: p.start, end: p.end, quote: p.text };
  return { sourceId: p.sourceId, chunkId: p.chunkId, title: p.title, page: p.page, ...span, ...(p.locator ? { locator: p.locator } : {}) };
}

function passageHit(p: Passage, rank: number): SearchHit {
  return { rank, score: 0, chunkId: p.chunkId, sourceId: p.sourceId, title: p.title, locator: { page: p.page, start: p.start, end: p.end }, marking: p.marking, text: p.text, ...(p.locator ? { place: p.locator } : {}) };
}

/**
 * A conversation read back from Cairn as the Ask view's turns: each turn's
 * sentences with their citations, its banner, and its auditId (so feedback
 * can still name the answer). Sentences that cite a passage now above the
 * reader's clearance come back withheld and cite nothing.
 */
export function turnsFromConversation(view: ConversationView, firstId: number): Turn[] {
  const byRef = new Map(view.passages.map((p) => [p.ref, p]));
  return view.turns.map((t, i) => {
    const passages = new Map<string, SearchHit>();
    const listed = new Map<string, Citation>();
    const sentences: Sentence[] = t.sentences.map((s) => {
      const cited = s.refs.map((r) => byRef.get(r)).filter((p): p is Passage => p !== undefined);
      const citations = cited.map((p) => passageCitation(p, s.text));
      for (const p of cited) if (!passages.has(p.chunkId)) passages.set(p.chunkId, passageHit(p, passages.size + 1));
      for (const c of citations) if (!listed.has(citationKey(c))) listed.set(citationKey(c), c);
      return { text: s.text, citations, ...(s.withheld ? { withheld: true } : {}) };
    });
    const citations = [...listed.values()];
    const shown = sentences.filter((s) => !s.withheld && s.citations.length > 0);
    const answer: AnswerOutput = {
      answer: t.answer,
      // A turn that cited nothing was a "no evidence" answer: keep it as one.
      sentences: shown.length > 0 || sentences.some((s) => s.withheld) ? sentences : [],
      citations,
      banner: t.banner,
      auditId: t.auditId ?? '',
      conversationId: view.id,
    };
    return { id: firstId + i, question: t.question, askedAt: t.at, status: 'done', partial: [], answer, passages, restored: true };
  });
}
