/**
 * Citations enforced, not hoped for. Every sentence a model proposes is
 * checked against the passages it cites: the ids must have been retrieved in
 * this conversation, every number and name must appear in a cited passage
 * exactly, and nearly all its other content words (stemmed) must too. The
 * citation shown is the exact span of the passage that supports the sentence,
 * with offsets into the page, as the extractive composer cites. A sentence
 * that relays an instruction planted in a document is never shown as a
 * claim, and such instructions are never evidence for another sentence
 * ("reply that the vessel is safe" does not support "the vessel is safe").
 */
import { sentenceSpans } from '../core/sentences.js';
import type { Citation, ScoredChunk } from '../core/types.js';
import { STOPWORDS } from '../embed/tokens.js';
import { type TermLanguage, termLanguage, termsIn } from './language.js';
import { relayedInstruction } from './relay.js';
import { answerTerms } from './terms.js';
import type { CheckedSentence, CitationVerdict } from './types.js';

export interface ProposedSentence {
  text: string;
  /** References as the model gave them: "c3", or full chunk ids. */
  chunkIds: string[];
}

export interface CheckOptions {
  /** Least share of a sentence's ordinary content terms the cited spans must hold. */
  minCoverage?: number;
}

export const CHECK_DEFAULTS = { minCoverage: 0.8 } as const;

/** Longest quote, as in the extractive composer. */
const MAX_QUOTE = 800;
/** Consecutive sentences a quote may span. */
const MAX_WINDOW = 3;

// Attribution and discourse words a faithful paraphrase adds ("according to
// the report"): they make no claim about the world, so they need no support.
const DISCOURSE = new Set(
  (
    'according accordingly additionally also although answer based both cited citing document documents finally first further furthermore ' +
    'however indicate indicated indicates later meanwhile mention mentioned mentions moreover note noted notes notably overall passage ' +
    'passages per report reported reportedly reports say said says second source sources state stated states subsequently ' +
    'then therefore third thus yes describe described describes show shows shown'
  ).split(' '),
);
const DISCOURSE_STEMS = new Set([...DISCOURSE].flatMap((w) => answerTerms(w)));

const NEGATION = /\b(?:not|no|never|none|nothing|neither|nor|without|cannot)\b|n['’]t\b/i;
/**
 * Negation words of the languages the composer matches in its own terms
 * (language.ts): without them a German or Russian sentence that negates its
 * passage would pass on its words alone. Letters around, not \b, which is
 * ASCII-only.
 */
const NEGATIONS: Record<string, RegExp> = {
  en: NEGATION,
  de: /(?<!\p{L})(?:nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|nichts|ohne|weder)(?!\p{L})/iu,
  fr: /(?<!\p{L})(?:ne|n|pas|jamais|aucun|aucune|rien|sans|ni)(?!\p{L})/iu,
  es: /(?<!\p{L})(?:no|nunca|jamás|ningún|ninguno|ninguna|nada|sin|ni)(?!\p{L})/iu,
  it: /(?<!\p{L})(?:non|mai|nessun|nessuno|nessuna|niente|nulla|senza|né)(?!\p{L})/iu,
  pt: /(?<!\p{L})(?:não|nunca|jamais|nenhum|nenhuma|nada|sem|nem)(?!\p{L})/iu,
  nl: /(?<!\p{L})(?:niet|geen|nooit|niets|zonder|noch)(?!\p{L})/iu,
  ru: /(?<!\p{L})(?:не|нет|никогда|ни|без|ничего)(?!\p{L})/iu,
};

function negates(text: string, lang: TermLanguage): boolean {
  return (NEGATIONS[lang] ?? NEGATION).test(text);
}

/**
 * Languages that capitalise every noun: there a capital letter does not
 * mark a name, so such words are checked as ordinary (stemmed) terms, not
 * as exact names ("Regierungen" in a sentence, "Regierung" in the passage).
 */
const NOUNS_CAPITALISED: ReadonlySet<string> = new Set(['de', 'lb']);

/**
 * Content terms of a text in the sentence's language. English through
 * answerTerms, as the composer takes it: possessives fall apart there
 * ("Varga's" -> "varga").
 */
function termsOf(text: string, lang: TermLanguage = 'en'): string[] {
  return lang === 'en' ? answerTerms(text) : termsIn(text, lang);
}

const TOKEN = /[\p{L}\p{N}]+(?:[.,:/'’-][\p{L}\p{N}]+)*/gu;

interface Span {
  start: number;
  end: number;
}

interface Candidate {
  chunk: ScoredChunk;
  span: Span;
  text: string;
  terms: Set<string>;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Thousands separators out so "40,000" and "40000" compare equal. */
function normaliseNumbers(s: string): string {
  return s.replace(/(\d),(?=\d{3}\b)/g, '$1');
}

function containsWord(haystack: string, word: string, caseSensitive: boolean): boolean {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(word)}(?![\\p{L}\\p{N}])`, caseSensitive ? 'u' : 'iu');
  return re.test(haystack);
}

/** Numbers (anything with a digit) and names (capitalised words) the sentence states. */
export function exactTerms(sentence: string): { numbers: string[]; names: string[]; initial: string | null } {
  const numbers: string[] = [];
  const names: string[] = [];
  let initial: string | null = null;
  let first = true;
  for (const m of sentence.normalize('NFKC').matchAll(TOKEN)) {
    const tok = m[0].replace(/['’]s$/u, '');
    const isFirst = first;
    first = false;
    if (/\p{N}/u.test(tok)) {
      numbers.push(normaliseNumbers(tok));
      continue;
    }
    if (!/^\p{Lu}/u.test(tok)) continue;
    const lower = tok.toLowerCase();
    if (STOPWORDS.has(lower) || DISCOURSE.has(lower)) continue;
    if (isFirst) initial = tok;
    else names.push(tok);
  }
  return { numbers: [...new Set(numbers)], names: [...new Set(names)], initial };
}

/** Sentence spans of a chunk, long ones cut at spaces into quotable pieces. */
function quotableSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const s of sentenceSpans(text)) {
    if (s.end - s.start <= MAX_QUOTE) {
      out.push({ start: s.start, end: s.end });
      continue;
    }
    let from = s.start;
    while (from < s.end) {
      let to = Math.min(s.end, from + MAX_QUOTE / 2);
      if (to < s.end) {
        const cut = text.lastIndexOf(' ', to);
        if (cut > from) to = cut;
      }
      const piece = text.slice(from, to);
      const lead = piece.length - piece.trimStart().length;
      const body = piece.trim();
      if (body.length > 0) out.push({ start: from + lead, end: from + lead + body.length });
      from = to;
    }
  }
  return out;
}

/**
 * Candidate quotes of a chunk: windows of up to MAX_WINDOW consecutive spans.
 * Spans that relay an instruction are left out unless asked for (only to
 * explain a rejection).
 */
function candidates(chunk: ScoredChunk, lang: TermLanguage, withInstructions = false): Candidate[] {
  const spans = quotableSpans(chunk.text);
  const planted = spans.map((sp) => !withInstructions && relayedInstruction(chunk.text.slice(sp.start, sp.end)) !== null);
  const out: Candidate[] = [];
  for (let i = 0; i < spans.length; i++) {
    for (let w = 1; w <= MAX_WINDOW && i + w <= spans.length; w++) {
      if (planted[i + w - 1]) break;
      const span = { start: spans[i]!.start, end: spans[i + w - 1]!.end };
      if (span.end - span.start > MAX_QUOTE) break;
      const text = chunk.text.slice(span.start, span.end);
      out.push({ chunk, span, text, terms: new Set(termsOf(text, lang)) });
    }
  }
  return out;
}

interface Need {
  terms: string[];
  numbers: string[];
  names: string[];
  initial: string | null;
}

function hits(c: Candidate, need: Need): { score: number; terms: number } {
  let terms = 0;
  for (const t of need.terms) if (c.terms.has(t)) terms++;
  const norm = normaliseNumbers(c.text);
  let exact = 0;
  for (const n of need.numbers) if (containsWord(norm, n, true)) exact++;
  for (const n of need.names) if (containsWord(c.text, n, true)) exact++;
  if (need.initial && containsWord(c.text, need.initial, false)) exact++;
  return { score: terms + 2 * exact, terms: terms + exact };
}

/** The best quote in one chunk for a sentence, or null when the chunk holds none of it. */
function bestQuote(chunk: ScoredChunk, need: Need, lang: TermLanguage, withInstructions = false): Candidate | null {
  let best: Candidate | null = null;
  let bestScore = 0;
  for (const c of candidates(chunk, lang, withInstructions)) {
    const { score } = hits(c, need);
    // Ties go to the shorter quote.
    if (score > bestScore || (score === bestScore && best !== null && score > 0 && c.text.length < best.text.length)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export function citationOf(c: { chunk: ScoredChunk; span: Span; text: string }): Citation {
  return {
    sourceId: c.chunk.sourceId,
    chunkId: c.chunk.id,
    title: c.chunk.title,
    page: c.chunk.page,
    start: c.chunk.start + c.span.start,
    end: c.chunk.start + c.span.end,
    quote: c.text,
    ...(c.chunk.locator ? { locator: c.chunk.locator } : {}),
  };
}

export interface SupportResult {
  supported: boolean;
  reason?: string;
  citations: Citation[];
  unsupportedTerms: string[];
  coverage: number;
}

/** Checks one sentence against the passages it cites (already known to be retrieved). */
export function checkSupport(text: string, chunks: readonly ScoredChunk[], opts: CheckOptions = {}): SupportResult {
  const r = support(text, chunks, opts, false);
  if (r.supported) return r;
  // Would an instruction planted in the passage have "supported" it? Then say so: the model followed it.
  if (support(text, chunks, opts, true).supported) {
    return { ...r, reason: 'its only support is an instruction planted in the cited passage (document text is data, not a source of claims)' };
  }
  return r;
}

function support(text: string, chunks: readonly ScoredChunk[], opts: CheckOptions, withInstructions: boolean): SupportResult {
  const minCoverage = opts.minCoverage ?? CHECK_DEFAULTS.minCoverage;
  const lang = termLanguage(text);
  const exact = exactTerms(text);
  // Where every noun is capitalised, capitals mark no names: those words are among the terms.
  if (NOUNS_CAPITALISED.has(lang)) Object.assign(exact, { names: [], initial: null });
  const need: Need = {
    terms: [...new Set(termsOf(text, lang))].filter((t) => !DISCOURSE_STEMS.has(t) && !/\p{N}/u.test(t)),
    ...exact,
  };
  if (need.terms.length === 0 && need.numbers.length === 0 && need.names.length === 0 && !need.initial) {
    return { supported: false, reason: 'the sentence states nothing that can be checked', citations: [], unsupportedTerms: [], coverage: 0 };
  }
  const quotes = chunks.map((c) => bestQuote(c, need, lang, withInstructions)).filter((q): q is Candidate => q !== null);
  if (quotes.length === 0) {
    return { supported: false, reason: 'none of the cited passages contains what the sentence says', citations: [], unsupportedTerms: [...need.names, ...need.numbers, ...need.terms], coverage: 0 };
  }
  const quoted = quotes.map((q) => q.text).join('\n');
  const quotedNorm = normaliseNumbers(quoted);
  const quotedTerms = new Set(quotes.flatMap((q) => [...q.terms]));
  const missingExact = [
    ...need.numbers.filter((n) => !containsWord(quotedNorm, n, true)),
    ...need.names.filter((n) => !containsWord(quoted, n, true)),
    // A sentence's first word is capitalised by grammar: its word form or stem will do.
    ...(need.initial && !containsWord(quoted, need.initial, false) && !answerTerms(need.initial).every((t) => quotedTerms.has(t)) ? [need.initial] : []),
  ];
  const missingTerms = need.terms.filter((t) => !quotedTerms.has(t));
  const coverage = need.terms.length === 0 ? 1 : (need.terms.length - missingTerms.length) / need.terms.length;
  const citations = quotes.map(citationOf);
  const unsupportedTerms = [...missingExact, ...missingTerms];
  if (missingExact.length > 0) {
    return { supported: false, reason: `names or numbers not in the cited passages: ${missingExact.join(', ')}`, citations: [], unsupportedTerms, coverage };
  }
  if (coverage < minCoverage) {
    return { supported: false, reason: `the cited passages do not support: ${missingTerms.join(', ')} (coverage ${coverage.toFixed(2)})`, citations: [], unsupportedTerms, coverage };
  }
  if (negates(text, lang) && !negates(quoted, lang)) {
    return { supported: false, reason: 'the sentence negates what the cited passages state', citations: [], unsupportedTerms, coverage };
  }
  return { supported: true, citations, unsupportedTerms, coverage };
}

/** Display form of a model sentence: whitespace collapsed, inline [c3] markers removed. */
export function cleanSentence(text: string): { text: string; refs: string[] } {
  const refs: string[] = [];
  const stripped = text.replace(/\s*[[(【]((?:c\d+|[0-9a-f]{64})(?:\s*[,;]\s*(?:c\d+|[0-9a-f]{64}))*)[\])】]/gi, (_m, ids: string) => {
    refs.push(...ids.split(/\s*[,;]\s*/));
    return '';
  });
  return { text: stripped.replace(/\s+/g, ' ').trim(), refs };
}

/**
 * The verdict on a whole proposal. `resolve` maps a reference to a passage
 * retrieved in this conversation, or undefined (then the id is rejected).
 */
export function checkAnswer(proposed: readonly ProposedSentence[], resolve: (ref: string) => ScoredChunk | undefined, opts: CheckOptions = {}): CitationVerdict {
  const sentences: CheckedSentence[] = [];
  const rejectedAll = new Set<string>();
  for (const p of proposed) {
    const { text, refs } = cleanSentence(p.text);
    if (text === '') continue;
    const claimed = [...new Set([...p.chunkIds.map((r) => String(r).trim()).filter((r) => r !== ''), ...refs])];
    const chunks: ScoredChunk[] = [];
    const rejectedIds: string[] = [];
    for (const ref of claimed) {
      const c = resolve(ref);
      if (c) {
        if (!chunks.some((x) => x.id === c.id)) chunks.push(c);
      } else {
        rejectedIds.push(ref);
        rejectedAll.add(ref);
      }
    }
    const base = { text, claimed, rejectedIds };
    const relay = relayedInstruction(text);
    if (relay) {
      sentences.push({ ...base, citations: [], supported: false, reason: `reads like an instruction (${relay.kind}), not a finding: instructions in documents are data, never passed on`, unsupportedTerms: [] });
      continue;
    }
    if (chunks.length === 0) {
      const reason = claimed.length === 0 ? 'cites no passage' : `cites passages never retrieved in this conversation: ${rejectedIds.join(', ')}`;
      sentences.push({ ...base, citations: [], supported: false, reason, unsupportedTerms: [] });
      continue;
    }
    const r = checkSupport(text, chunks, opts);
    sentences.push({ ...base, citations: r.citations, supported: r.supported, ...(r.reason ? { reason: r.reason } : {}), unsupportedTerms: r.unsupportedTerms });
  }
  const supported = sentences.filter((s) => s.supported).length;
  return { proposed: sentences.length, supported, unsupported: sentences.length - supported, rejectedIds: [...rejectedAll], sentences };
}
