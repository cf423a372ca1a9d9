import { termLanguage, termsIn, type TermLanguage } from '../agent/language.js';
import { stemmedTerms } from '../agent/terms.js';
import { BoundedMap } from '../core/bounded-map.js';
import type { ScoredChunk } from '../core/types.js';
import { words } from '../embed/tokens.js';
import { looksEnglish } from './analyse.js';

/**
 * A text's terms in a passage's language. English keeps stemmedTerms (its
 * figures on scifact and msmarco-5k are unchanged); other languages get the
 * answer composer's terms (agent/language.ts: their stop words and Snowball
 * stemmer, hyphens and elisions split, CJK words), so "Regierungen" and
 * "Regierung" are one term and a pair of them counts as near. English
 * stemming everywhere left German inflections apart. Debian sets, nDCG@10,
 * same code otherwise: de 0.7476 -> 0.7518, fr 0.8364 -> 0.8398, hu +0.003,
 * ru +0.003, ja +0.002, es +0.002, it +0.001; pt -0.004, uk -0.004, cs and
 * sk -0.002; nl, fi, pl, zh, ko, da, sv within 0.001; mean of 18 sets
 * +0.0006. scifact, msmarco-5k and Debian en are unchanged.
 */
function termsInLanguage(text: string, lang: TermLanguage): string[] {
  return lang === 'en' ? stemmedTerms(text) : termsIn(text, lang);
}

/**
 * Terms (and their language) of recently ranked passages, by chunk id: the same passages
 * come back as candidates for related queries, and stemming 50 passages of
 * 80 words was most of the re-ranking's cost. The text is kept beside them
 * and compared, so a reused id with other text (another store in the same
 * process) is never served stale terms. Bounded, and each distinct stem is
 * held once (interned), so 5,000 passages cost a few MB.
 */
const TERMS_CACHE_LIMIT = 5_000;
const LANGUAGE_SAMPLE = 400;
const termsCache = new BoundedMap<string, { text: string; terms: readonly string[]; lang: TermLanguage }>(TERMS_CACHE_LIMIT);
const INTERN_LIMIT = 100_000;
const stems = new Map<string, string>();

function intern(term: string): string {
  const got = stems.get(term);
  if (got !== undefined) return got;
  // Only memory is at stake: past the limit start over rather than track recency per term.
  if (stems.size >= INTERN_LIMIT) stems.clear();
  stems.set(term, term);
  return term;
}

function passageTerms(hit: ScoredChunk): { terms: readonly string[]; lang: TermLanguage } {
  const got = termsCache.get(hit.id);
  if (got && got.text === hit.text) return got;
  // Plainly English text skips the stop-word vote of every language; otherwise the
  // passage's opening decides (the full 2,000-character sample doubled a cold re-ranking).
  const sample = hit.text.slice(0, LANGUAGE_SAMPLE);
  const lang = looksEnglish(sample) ? 'en' : termLanguage(sample);
  const entry = { text: hit.text, terms: termsInLanguage(hit.text, lang).map(intern), lang };
  termsCache.set(hit.id, entry);
  return entry;
}

/** The query's adjacent term pairs, and the terms to look up, in one language. */
function queryPairs(query: string, lang: TermLanguage): { pairs: [string, string][]; wanted: ReadonlySet<string> } {
  const q = termsInLanguage(query, lang);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < q.length; i++) if (q[i] !== q[i + 1]) pairs.push([q[i]!, q[i + 1]!]);
  // Only the query's terms' positions matter: the others are never looked up.
  return { pairs, wanted: new Set(q) };
}

/**
 * Term-proximity re-ranking in the spirit of the sequential dependence model
 * (Metzler & Croft, 2005): passages where the query's adjacent terms occur
 * close together are more likely about the query than passages that merely
 * contain the words apart. Score = BM25 (normalised by the best) + weight x
 * the share of query term pairs found within `window` terms of each other.
 */
export function proximityRerank(query: string, hits: readonly ScoredChunk[], weight: number, window = 8): ScoredChunk[] {
  // One word has no pairs in any language: skip reading the passages.
  if (hits.length === 0 || weight <= 0 || words(query).length < 2) return [...hits];
  const byLanguage = new Map<TermLanguage, ReturnType<typeof queryPairs>>();
  const pairsIn = (lang: TermLanguage): ReturnType<typeof queryPairs> => {
    let got = byLanguage.get(lang);
    if (!got) byLanguage.set(lang, (got = queryPairs(query, lang)));
    return got;
  };
  const passages = hits.map(passageTerms);
  // A one-term query (in every language its passages are in) leaves the order alone.
  if (passages.every((p) => pairsIn(p.lang).pairs.length === 0)) return [...hits];
  const max = Math.max(...hits.map((h) => h.score)) || 1;
  return hits
    .map((h, k) => {
      const { terms, lang } = passages[k]!;
      const { pairs, wanted } = pairsIn(lang);
      if (pairs.length === 0) return { ...h, score: h.score / max };
      const where = new Map<string, number[]>();
      terms.forEach((t, i) => {
        if (!wanted.has(t)) return;
        const list = where.get(t);
        if (list) list.push(i);
        else where.set(t, [i]);
      });
      let near = 0;
      for (const [a, b] of pairs) {
        const pa = where.get(a);
        const pb = where.get(b);
        if (pa && pb && pa.some((i) => pb.some((j) => Math.abs(i - j) <= window))) near++;
      }
      return { ...h, score: h.score / max + (weight * near) / pairs.length };
    })
    .sort((x, y) => y.score - x.score);
}
