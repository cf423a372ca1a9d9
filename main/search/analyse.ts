import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as greek } from '@orama/stemmers/greek';
import { stemmer as hungarian } from '@orama/stemmers/hungarian';
import { stemmer as indonesian } from '@orama/stemmers/indonesian';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as lithuanian } from '@orama/stemmers/lithuanian';
import { stemmer as nepali } from '@orama/stemmers/nepali';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as romanian } from '@orama/stemmers/romanian';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as serbian } from '@orama/stemmers/serbian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stemmer as tamil } from '@orama/stemmers/tamil';
import { stemmer as turkish } from '@orama/stemmers/turkish';
import { stemmer as ukrainian } from '@orama/stemmers/ukrainian';
import { StemmerPl } from '@nlpjs/lang-pl';
import { StemmerSl } from '@nlpjs/lang-sl';
import { francAll } from 'franc';
import { arabicLightStem, withArabicForms } from '../embed/arabic.js';
import { cjkBigrams, CJK_RUN, STOPWORDS } from '../embed/tokens.js';
import { bulgarianStem as bulgarian } from './bulgarian.js';
import { czech } from './czech.js';
import { stripHebrewPrefix } from './hebrew.js';

/**
 * The language-aware analyser behind the chunks table's `terms` column, the
 * one LanceDB's full-text index is built on. LanceDB's own analyser (simple
 * tokenizer, English stemmer and stop words) still runs over what this
 * produces, so:
 *  - English (and any text in a language we cannot stem) is left exactly as
 *    written: LanceDB then sees what it saw before and ranks it the same;
 *  - runs of Chinese and Japanese become ICU dictionary words, Korean runs
 *    overlapping character bigrams, and Thai, Lao, Khmer and Myanmar runs
 *    ICU words, since none of them puts spaces between words: "情报分析报告"
 *    then matches a query for "分析";
 *  - Arabic words are normalised and light-stemmed (main/embed/arabic.ts),
 *    on both sides, so an article or attached conjunction does not matter;
 *  - a passage detected (franc, trigram profiles) as Finnish, Russian,
 *    German... is replaced by its words' first five characters or their
 *    stems, per language (TRUNCATED, STEMMERS), so "Regierungen" and
 *    "Regierung" meet. Queries are too short to detect reliably, so a query
 *    gets the forms of the store's languages it may be in (languageFilter).
 */

/**
 * Bumped whenever analyseText's output changes for some passage (2: ICU
 * words for Chinese, Japanese, Thai, Lao, Khmer, Myanmar; words kept beside
 * stems in es/fr/it/pt/nl; working Bulgarian stemmer; 3: fr/it/pt/es
 * left unstemmed, see LEFT_TO_LANCEDB; 4: Czech, Slovak and Polish
 * stemmed, main/search/czech.ts and nlp.js; 5: hyphenated words of stemmed
 * passages stemmed part by part, see wordParts; 6: words of the TRUNCATED
 * languages cut to their first five characters, Nepali, Tamil, Slovenian
 * and Malay stemmed, see NEPALI_TAMIL and slovenian, Hebrew prefixes
 * stripped; 7: Vietnamese passages and queries also hold their syllable
 * pairs, see syllablePairs). A store analysed by an older version searches
 * worse until its `terms` are re-analysed.
 */
export const ANALYSIS_VERSION = 7;

/**
 * Polish: nlp.js's stemmer (Porter-style rules; Snowball has none before
 * 3.0 and no maintained JavaScript build of that one): Debian pl -0.008 ->
 * +0.002 against LanceDB (words kept beside stems: -0.006). For Czech and
 * Slovak nlp.js's Czech stemmer measured below Cairn's own light stemmer
 * (cs +0.045 / sk +0.008 against +0.058 / +0.016), which does the stem
 * normalisation it leaves out.
 */
const polishStemmer = new StemmerPl();
const polish = (word: string): string => polishStemmer.stemWord(word);

/**
 * Nepali and Tamil (Snowball's stemmers, through @orama/stemmers): both
 * attach case endings and postpositions to the word ("नेपालमा", "in Nepal").
 * Measured on Debian's AppStream translations (scripts/eval/appstream-set.ts,
 * small sets: 32 queries each; nDCG@10): ne 0.7089 -> 0.8039, ta 0.7546 ->
 * 0.7682. Hindi writes its postpositions apart, and Snowball's Hindi stemmer
 * lost there (0.8196 -> 0.8049, 37 queries); Hindi is truncated instead.
 * Not done for any Indic script: removing the virama and the other marks
 * LanceDB's tokenizer splits words at (it indexes "स्वास्थ्य" as "स", "वास", "थ",
 * "य"). Whole words lost on these sets (hi -0.015, ta -0.148, mr -0.052, te
 * -0.062, ml -0.025; ne +0.020, pa +0.010): the pieces act as the sub-word
 * units that join these languages' inflected forms.
 */
const NEPALI_TAMIL = { ne: nepali, ta: tamil };

/**
 * Slovenian: nlp.js's stemmer (Snowball has none). On the AppStream sets
 * (nDCG@10, same code otherwise): sl 0.6448 -> 0.6961 (259 queries).
 * Tried and not kept: nlp.js's Galician stemmer (gl 0.7047 -> 0.7175, but
 * franc then takes Portuguese passages for Galician: pt_BR 0.6447 -> 0.6272,
 * pt 0.7128 -> 0.7038, es -0.004), Catalan (0.7297 -> 0.7219) and Basque
 * (0.6481 -> 0.6446); its Persian one changed no word tried. Malay uses
 * Indonesian's Snowball stemmer (STEMMERS).
 */
const slovenianStemmer = new StemmerSl();
const slovenian = (word: string): string => slovenianStemmer.stemWord(word);

/**
 * Truncation stemming (McNamee & Mayfield): a word is indexed as its first
 * TRUNCATE_AT characters, so "kasutajaliidese" and "kasutajaliides",
 * "Paketverwaltung" and "Paketen" meet. It needs no rules for the language,
 * and it joins compound words on their first part, which a suffix stemmer
 * never does. Measured (nDCG@10, same runs) on Debian's package descriptions
 * (5,000 documents; scripts/eval/debian-descriptions-set.ts) and on
 * Debian's AppStream translations (scripts/eval/appstream-set.ts, 17-645
 * documents), against each language's stemmer or, where there was none, the
 * text as written; a language is truncated when it gained on every set it
 * has (README, "Truncation"). German, French, Spanish and Italian lost
 * with truncation alone and gained with the word kept beside it (KEEP_WORD).
 * Not truncated: English (Debian en 0.8436 -> 0.8328) and the languages it
 * lost in either way: Ukrainian, Greek, Romanian, Lithuanian, Indonesian,
 * Serbian (Croatian and Bosnian passages are detected as Serbian, and lost
 * 0.03-0.07), Nepali, Tamil, Portuguese. Five characters:
 * four gained slightly more on the small AppStream sets (+0.089 against
 * +0.081 on average over the 13 languages without a stemmer), but small
 * corpora favour conflating more, and an analyst's store is larger.
 */
const TRUNCATE_AT = 5;

export function truncateWord(word: string): string {
  let n = 0;
  let end = 0;
  for (const ch of word) {
    if (++n > TRUNCATE_AT) return word.slice(0, end);
    end += ch.length;
  }
  return word;
}

/** Languages indexed by truncation, with franc's codes for those no stemmer here covers. */
const TRUNCATED: ReadonlySet<string> = new Set([
  'bg', 'cs', 'da', 'fi', 'hu', 'nl', 'no', 'pl', 'ru', 'sk', 'sv', 'tr',
  // With the word kept beside its truncation (KEEP_WORD).
  'de', 'fr', 'es', 'it',
  'az', 'be', 'ca', 'eo', 'et', 'he', 'hi', 'ka', 'kk', 'lv', 'ml', 'mr', 'pa', 'te',
]);
const TRUNCATED_FROM_FRANC: Readonly<Record<string, string>> = {
  azj: 'az', bel: 'be', cat: 'ca', epo: 'eo', ekk: 'et', heb: 'he', hin: 'hi', kat: 'ka', kaz: 'kk', lvs: 'lv', mal: 'ml', mar: 'mr', pan: 'pa', tel: 'te',
};

/** Language code (as stored in the `lang` column) -> Snowball stemmer. English is absent on purpose: LanceDB stems it. */
const STEMMERS: Readonly<Record<string, (word: string) => string>> = {
  bg: bulgarian, da: danish, nl: dutch, fi: finnish, fr: french, de: german, el: greek, hu: hungarian, id: indonesian, it: italian,
  lt: lithuanian, no: norwegian, pt: portuguese, ro: romanian, ru: russian, sr: serbian, es: spanish, sv: swedish, tr: turkish, uk: ukrainian,
  cs: czech, sk: czech, pl: polish, ...NEPALI_TAMIL, sl: slovenian,
  // Malay shares Indonesian's affixes (me-, ber-, -kan, -an), and franc takes some Indonesian passages for Malay:
  // AppStream ms 0.8489 -> 0.8560, id 0.7457 -> 0.7585 with Malay stemmed as Indonesian (left as written before).
  ms: indonesian,
};

/** franc's ISO 639-3 codes -> ours. */
const FROM_FRANC: Readonly<Record<string, string>> = {
  bul: 'bg', dan: 'da', nld: 'nl', fin: 'fi', fra: 'fr', deu: 'de', ell: 'el', hun: 'hu', ind: 'id', ita: 'it', lit: 'lt',
  nob: 'no', nno: 'no', por: 'pt', ron: 'ro', rus: 'ru', srp: 'sr', spa: 'es', swe: 'sv', tur: 'tr', ukr: 'uk',
  ces: 'cs', slk: 'sk', pol: 'pl', npi: 'ne', tam: 'ta', slv: 'sl', zlm: 'ms', ...TRUNCATED_FROM_FRANC,
};
const TO_FRANC = new Map(Object.entries(FROM_FRANC).map(([f, l]) => [l, f]));

/** Languages the analyser stems or truncates, by the code the `lang` column holds. */
export const STEMMED_LANGUAGES: readonly string[] = [...new Set([...Object.keys(STEMMERS), ...TRUNCATED])];
const ANALYSED: ReadonlySet<string> = new Set(STEMMED_LANGUAGES);

/** A word of a passage or query in `lang` as the index holds it: truncated, stemmed, or as written. */
function indexForm(lang: string, word: string): string {
  if (lang === 'he') return truncateWord(stripHebrewPrefix(word));
  return TRUNCATED.has(lang) ? truncateWord(apostropheCore(lang, word)) : stemWith(lang, word);
}

/**
 * French and Catalan elide an article or preposition onto the next word
 * ("l'énergie", "d'aplicació"): truncated whole, "l'éne" would keep three
 * letters of the word. There the word after the apostrophe is truncated;
 * elsewhere (Turkish "İstanbul'da") the word before it. nDCG@10, against
 * truncating the whole: AppStream fr 0.6527 -> 0.6585, ca 0.7395 -> 0.7403,
 * Debian fr 0.8420 -> 0.8429; Italian ("dell'acqua") lost (AppStream 0.6423
 * -> 0.6410, Debian 0.8169 -> 0.8158), so it is not among them; tr unchanged.
 */
const ELIDING: ReadonlySet<string> = new Set(['fr', 'ca']);
function apostropheCore(lang: string, word: string): string {
  const first = word.search(/['’]/u);
  if (first < 0) return word;
  const core = ELIDING.has(lang) ? word.slice(Math.max(word.lastIndexOf("'"), word.lastIndexOf('’')) + 1) : word.slice(0, first);
  return core || word;
}

/**
 * Below this many letters franc's trigram statistics are noise (its own
 * authors advise against short text); such passages are left unstemmed.
 */
const MIN_DETECT_LETTERS = 60;

const ARABIC_WORD = /[\u0600-\u06FF]+/g;
const ARABIC_PRESENTATION = /[\uFB50-\uFDFF\uFE70-\uFEFC]+/;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu;

function letters(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/\p{L}/gu)) if (++n >= MIN_DETECT_LETTERS) break;
  return n;
}

/** Share of English function words among the first words: about 0.25-0.4 in English prose, near 0 elsewhere. */
function englishShare(text: string): number {
  let n = 0;
  let hits = 0;
  for (const m of text.slice(0, 1000).toLowerCase().matchAll(WORD)) {
    n++;
    if (STOPWORDS.has(m[0])) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

/**
 * Above this share a passage is English without asking franc. On the BEIR
 * sets (scifact, msmarco-5k) 99% of passages are above it; it also keeps
 * franc's cost (about 20 ms a passage on 2,000 characters) off English text.
 */
const ENGLISH_SHARE = 0.15;
/** franc reads this much of a passage: enough for its trigram profile, bounded cost. */
const DETECT_CHARS = 400;
/** Whether a text's opening is plainly English by its function words (the cheap first check of detectLanguage). */
export function looksEnglish(text: string): boolean {
  return englishShare(text) >= ENGLISH_SHARE;
}

/** A passage is taken as non-English only when English scores below this, relative to the best language (1.0). */
const ENGLISH_MARGIN = 0.9;

/**
 * The language of a passage when it is one we stem; null for English, for
 * languages without a stemmer, and for text too short or too mixed to tell.
 * Wrongly stemming English would change how LanceDB ranks it, so English
 * wins every doubt.
 */
export function detectLanguage(text: string): string | null {
  if (letters(text) < MIN_DETECT_LETTERS || englishShare(text) >= ENGLISH_SHARE) return null;
  const ranked = francAll(text.slice(0, DETECT_CHARS), { minLength: MIN_DETECT_LETTERS });
  const best = ranked[0]?.[0] ?? 'und';
  const english = ranked.find(([code]) => code === 'eng')?.[1] ?? 0;
  return english < ENGLISH_MARGIN ? (FROM_FRANC[best] ?? null) : null;
}

/**
 * Language detection for the passages of one source, in order. franc costs
 * ~0.4-1 ms a passage (trigram profile), which on a 100 MB one-line text
 * (~130,000 passages) was a minute of ingest. Passages of one source are
 * nearly always one language, so once its first SETTLE_AFTER passages that
 * needed franc all agreed, later ones take that answer. The cheap English
 * check still runs on every passage, so an English passage of a foreign
 * document is never stemmed.
 */
const SETTLE_AFTER = 16;
const MEMO_SOURCES = 64;
const sourceMemo = new Map<string, { asked: number; answer: string | null; mixed: boolean }>();

export function detectLanguageInSource(text: string, sourceId: string): string | null {
  if (letters(text) < MIN_DETECT_LETTERS || englishShare(text) >= ENGLISH_SHARE) return null;
  const memo = sourceMemo.get(sourceId);
  if (memo && !memo.mixed && memo.asked >= SETTLE_AFTER) return memo.answer;
  const answer = detectLanguage(text);
  if (!memo) {
    if (sourceMemo.size >= MEMO_SOURCES) sourceMemo.delete(sourceMemo.keys().next().value as string);
    sourceMemo.set(sourceId, { asked: 1, answer, mixed: false });
  } else {
    memo.asked++;
    if (memo.answer !== answer) memo.mixed = true;
  }
  return answer;
}

/**
 * A word's linguistic stem in `lang` (the word itself when there is no
 * stemmer, or it fails on the word): what the answer composer and the
 * proximity re-ranking match words by. The index may truncate instead (indexForm).
 */
export function stemWith(lang: string | null, word: string): string {
  const stem = lang ? STEMMERS[lang] : undefined;
  if (!stem) return word;
  // A stemmer bug must cost one word its stem, never the ingest of a document.
  try {
    return stem(word);
  } catch {
    return word;
  }
}

/**
 * Thai, Lao, Khmer and Myanmar write words without spaces, so a run of them
 * is one LanceDB token: a word inside it is never found. ICU (Node's full
 * build) segments them with its dictionaries, the same way for a passage
 * and a query, so the query's words meet the passage's.
 */
const SEA_RUN = /[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}][\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{M}\u200B-\u200D]*/u;
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

function segmentWords(run: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(run)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/**
 * A CJK run in the form the index holds. Chinese and Japanese: ICU's
 * dictionary words. Measured on Debian's translated package descriptions
 * (scripts/eval/debian-descriptions-set.ts, nDCG@10), words replacing the
 * bigrams gained +0.032 (zh_CN) and +0.064 (ja); words added to the bigrams
 * gained less (+0.006 zh) or lost (-0.003 ja). Korean: ICU only splits
 * Hangul at spaces, leaving particles on (eojeol), and words lost 0.06 there,
 * so Hangul stays as bigrams.
 */
function cjkTerms(run: string): string[] {
  const out: string[] = [];
  for (const [part] of run.matchAll(/\p{sc=Hangul}+|\P{sc=Hangul}+/gu)) {
    const words = /\p{sc=Hangul}/u.test(part) ? [] : segmentWords(part);
    out.push(...(words.length > 0 ? words : cjkBigrams(part)));
  }
  return out;
}

/**
 * A line break between two CJK characters is layout (fixed-width wrapping
 * of text with no spaces), not a word boundary: joined, the word it cut
 * meets its query again (+0.004 ja, +0.005 ko on the Debian sets).
 */
const CJK_CHAR = CJK_RUN.source.slice(0, -1);
const CJK_WRAP = new RegExp(`(${CJK_CHAR})[ \\t]*\\r?\\n[ \\t]*(?=${CJK_CHAR})`, 'gu');

/**
 * Languages left to LanceDB's own analyser (lower case, accents folded,
 * English Snowball), as English is. On the Debian sets (nDCG@10, default
 * search) no Snowball stemming beat stems with words kept beside them:
 * fr 0.8368 vs 0.8146, it 0.8161 vs 0.8049, pt 0.7163 vs 0.7076, de 0.7457
 * vs 0.7400 (stems only 0.7380), es full text 0.7705 vs 0.7669; LanceDB
 * plain 0.8426 / 0.8085 / 0.7183 / 0.7516 / 0.7732. Their texts are full of
 * shared and borrowed words the English rules already join, and a query too
 * short to detect then meets the passage as written. Since analysis version
 * 6 French, Spanish and Italian (and German) keep each word beside its
 * truncation instead (KEEP_WORD, TRUNCATED), which gained on both sets;
 * Portuguese lost with it (Debian pt_BR 0.7186 -> 0.7160, AppStream pt_BR
 * 0.6447 -> 0.6408) and stays here.
 */
const LEFT_TO_LANCEDB: ReadonlySet<string> = new Set(['pt']);

/**
 * Languages whose passages keep each word next to its stem. Their Snowball
 * stemmers split forms LanceDB's English stemmer (which still runs over
 * `terms`) joins. On the Debian sets (nDCG@10) keeping the word gained
 * nl +0.009 (and es/fr/it/pt, before they were left unstemmed); it cost
 * fi -0.010, ru -0.034, uk -0.014, whose inflection the English stemmer
 * cannot undo, so those (and the unmeasured ones) keep stems only. Since
 * version 6 the word goes beside its truncation (TRUNCATED) in German,
 * French, Spanish and Italian: against German stems and the other three as
 * written, Debian de 0.7518 -> 0.7672, fr 0.8398 -> 0.8420, es 0.7758 ->
 * 0.7790, it 0.8162 -> 0.8169; AppStream de 0.5676 -> 0.6128, fr +0.011,
 * es +0.007, it +0.012 (truncation alone: Debian de -0.026, fr -0.043).
 */
const KEEP_WORD: ReadonlySet<string> = new Set(['nl', 'de', 'fr', 'es', 'it']);

/**
 * The parts of a hyphenated (or underscored) word, each stemmed on its own.
 * Stemmed whole, "befehlszeilen-paketverwaltung" kept its first part as
 * written (LanceDB's tokenizer splits it only after the stem), so it never
 * met a query's "Befehlszeile". Measured on the Debian sets (nDCG@10, same
 * run): de +0.008, da +0.008, uk +0.008, nl +0.004; ru, fi, cs, pl, sk
 * within +-0.001. German writes compounds this way ("PDF-Interpreter",
 * "Nepali-Sprachpaket").
 */
const JOINED = /[-_]+/u;
function wordParts(word: string): string[] {
  return JOINED.test(word) ? word.split(JOINED).filter(Boolean) : [word];
}

/**
 * Vietnamese writes every syllable apart, and most words are two syllables
 * ("thời gian", time; "chương trình", program): indexed as single
 * syllables, "trình" of "chương trình" (program) and of "trình duyệt"
 * (browser) are one term. Each pair of adjacent syllables within a phrase is
 * indexed beside the syllables as one joined token ("chươngtrình"; LanceDB's
 * tokenizer would split any separator), and a query gets its pairs too, so
 * a passage holding the query's words in its order ranks first, as in
 * syllable-bigram indexing for Vietnamese retrieval. nDCG@10 (same runs,
 * LanceDB plain in brackets): AppStream vi 0.7407 -> 0.7590 (0.7346, 66
 * queries), Debian vi 0.8752 -> 0.8852 (0.8752, 33 queries).
 *
 * A text counts as Vietnamese by letters no other language written in Latin
 * script uses (horn letters, hook above, dot below and their combinations;
 * not â, ê, ô, ă or đ, which French, Portuguese, Romanian and Croatian share):
 * franc has no stemmer to hand it to, and these letters are unambiguous.
 */
const VIETNAMESE_LETTER = /[ơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu;
/** A passage needs this many of them, and not to be plainly English (a name in a report decides nothing); a query, one. */
const VIETNAMESE_MIN_LETTERS = 3;

function isVietnamesePassage(text: string): boolean {
  return vietnameseLetters(text, VIETNAMESE_MIN_LETTERS) && !looksEnglish(text);
}

function vietnameseLetters(text: string, enough: number): boolean {
  let n = 0;
  for (const _ of text.matchAll(VIETNAMESE_LETTER)) if (++n >= enough) return true;
  return false;
}

/** Adjacent syllables of each phrase (between punctuation) joined: "thời gian dài" -> "thờigian giandài". */
function syllablePairs(text: string): string[] {
  const out: string[] = [];
  for (const phrase of lowerCase(text).split(/[^\p{L}\p{N}\p{M}\s]+/u)) {
    const syllables = phrase.split(/\s+/u).filter(Boolean);
    for (let i = 0; i + 1 < syllables.length; i++) out.push(syllables[i]! + syllables[i + 1]!);
  }
  return out;
}

/** One token of a non-English passage in the form the index holds. */
function analyseWord(word: string, lang: string | null): string {
  if (CJK_RUN.test(word)) {
    // Mixed runs ("GPS定位"): the CJK part as words or bigrams, the rest as a word.
    return word.replace(new RegExp(CJK_RUN.source, 'gu'), (run) => ` ${cjkTerms(run).join(' ')} `).trim();
  }
  if (SEA_RUN.test(word)) return word.replace(new RegExp(SEA_RUN.source, 'gu'), (run) => ` ${segmentWords(run).join(' ')} `).trim();
  if (/[\u0600-\u06FF]/.test(word)) return arabicLightStem(word);
  const bare = word.replace(/['’_-]+$/u, '');
  return lang ? indexForm(lang, bare) : bare;
}

/**
 * Whether analysis version ANALYSIS_VERSION may give a stored passage other
 * terms than version `since` did: CJK or Thai-family text, a passage
 * stemmed in a language that now keeps its words, or a stemmed passage with
 * hyphenated words. Everything else (English above all) is unchanged, so
 * re-analysing an old store only touches these rows. From version 6 only
 * Vietnamese passages changed (syllable pairs), so a version-6 store does
 * not pay franc again for every passage with no language.
 */
export function analysisMayHaveChanged(text: string, lang: string, since = 1): boolean {
  if (since >= 6) return lang === '' && isVietnamesePassage(text);
  return (
    KEEP_WORD.has(lang) || TRUNCATED.has(lang) || (lang !== '' && JOINED_WORD.test(text)) || LEFT_TO_LANCEDB.has(lang) || lang === 'bg' || CJK_RUN.test(text) || SEA_RUN.test(text) ||
    (lang === '' && mayBeNewlyStemmed(text)) || PERSIAN_LETTER.test(text) || (lang === '' && isVietnamesePassage(text))
  );
}

/** Persian ya and kaf, folded into the Arabic letters since version 6 (main/embed/arabic.ts). */
const PERSIAN_LETTER = /[\u06CC\u06A9]/u;

/**
 * A passage stored with no language that may be in one analysed since it
 * was stored (Czech, Slovak, Polish since version 4; since 6 Nepali, Tamil,
 * Slovenian, French, Spanish, Italian and the truncated languages without a
 * stemmer): any with enough letters that is not plainly English. It is
 * detected again (languageOnReanalysis), once per source after its first
 * passages agree (detectLanguageInSource): a store of long documents pays
 * franc (~1 ms) for about 16 passages a source, once (README).
 */
function mayBeNewlyStemmed(text: string): boolean {
  return letters(text) >= MIN_DETECT_LETTERS && !looksEnglish(text);
}

/**
 * NFKC and lower case. JavaScript lower-cases Turkish and Azerbaijani "İ"
 * to "i" plus a combining dot, which LanceDB's tokenizer splits the word
 * at ("İstanbul" became "i" and "stanbul"); the dot goes.
 */
function lowerCase(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  return lower.replace(/i\u0307/gu, 'i');
}

/** A word with a hyphen or underscore inside (version 5 stems its parts). */
const JOINED_WORD = /[\p{L}\p{N}][-_]+[\p{L}\p{N}]/u;

/**
 * The language a stored passage is re-analysed as: the one detected at
 * ingest, or, for a passage stored with none that may be in a language
 * stemmed since (mayBeNewlyStemmed), detected again.
 */
export function languageOnReanalysis(text: string, lang: string, sourceId?: string): string | null {
  if (lang) return lang;
  if (!mayBeNewlyStemmed(text)) return null;
  return sourceId === undefined ? detectLanguage(text) : detectLanguageInSource(text, sourceId);
}

export interface Analysed {
  /** What the full-text index is built on. */
  terms: string;
  /** A language from STEMMED_LANGUAGES the passage was stemmed as; '' when none. */
  lang: string;
}

/**
 * The `terms` value of a chunk. Text with nothing to do is returned as is,
 * character for character (English stays English for LanceDB's analyser);
 * otherwise only CJK runs and Arabic words are rewritten, unless the passage
 * is in a stemmed or truncated language, when every word becomes its index
 * form (indexForm), kept beside it in the KEEP_WORD languages.
 */
export function analyseText(text: string, lang: string | null = detectLanguage(text)): Analysed {
  if (lang && ANALYSED.has(lang) && !LEFT_TO_LANCEDB.has(lang)) {
    const out: string[] = [];
    const keep = KEEP_WORD.has(lang);
    for (const m of lowerCase(text).matchAll(WORD)) {
      for (const part of wordParts(m[0])) {
        const w = analyseWord(part, lang);
        if (w) out.push(w);
        if (keep && w && !/[\u0600-\u06FF]/.test(part) && !CJK_RUN.test(part) && !SEA_RUN.test(part)) {
          const word = part.replace(/['’]+$/u, '');
          if (word !== w) out.push(word);
        }
      }
    }
    return { terms: out.join(' '), lang };
  }
  const terms = rewriteScripts(text, (w) => arabicLightStem(w));
  if (isVietnamesePassage(text)) return { terms: `${terms} ${syllablePairs(text).join(' ')}`, lang: '' };
  return { terms, lang: '' };
}

/** CJK runs to bigrams and Arabic words through `arabic`; every other character untouched. */
function rewriteScripts(text: string, arabic: (word: string) => string): string {
  const cjk = new RegExp(CJK_RUN.source, 'gu');
  let out = text;
  if (CJK_RUN.test(out)) out = out.replace(CJK_WRAP, '$1');
  if (CJK_RUN.test(out)) out = out.replace(cjk, (run) => ` ${cjkTerms(run.normalize('NFKC')).join(' ')} `);
  if (SEA_RUN.test(out)) out = out.replace(new RegExp(SEA_RUN.source, 'gu'), (run) => ` ${segmentWords(run).join(' ')} `);
  // Presentation forms (what PDF text layers often hold) are the same letters: NFKC maps them back.
  if (ARABIC_PRESENTATION.test(out)) out = out.replace(new RegExp(ARABIC_PRESENTATION.source, 'g'), (m) => m.normalize('NFKC'));
  if (/[\u0600-\u06FF]/.test(out)) out = out.replace(ARABIC_WORD, arabic);
  return out;
}

/** The stemmed languages of a store, and the one most of its passages are in, if any. */
export interface StoreLanguages {
  languages: readonly string[];
  /** A language holding over half the passages: a query is more likely in it than franc's guess on a few words says. */
  dominant: string | null;
}

export const NO_LANGUAGES: StoreLanguages = { languages: [], dominant: null };

/**
 * Of the store's languages, those a query may be in. A query of a few words
 * is too short for franc alone, but among a handful of candidates (plus
 * English) it separates scripts and language families well enough; when it
 * cannot tell, every candidate is kept, and the store's dominant language
 * always is.
 */
export function languageFilter(query: string, store: StoreLanguages): string[] {
  const candidates = store.languages.filter((l) => ANALYSED.has(l));
  if (candidates.length === 0) return [];
  const only = ['eng', ...candidates.map((l) => TO_FRANC.get(l) ?? '')].filter(Boolean);
  const ranked = francAll(query, { only, minLength: 3 });
  if (ranked[0]?.[0] === 'und') return candidates;
  // franc's scores are relative to the best (1.0): keep what is nearly as likely.
  const kept = new Set(ranked.filter(([code, score]) => score >= 0.9 && FROM_FRANC[code]).map(([code]) => FROM_FRANC[code] as string));
  if (store.dominant && ANALYSED.has(store.dominant)) kept.add(store.dominant);
  return [...kept];
}

/**
 * A query in the form the `terms` index holds: CJK as bigrams, Arabic
 * stemmed, and each word followed by its stem in every language of
 * `languages` (the store's, filtered by languageFilter) when that stem
 * differs from what LanceDB's English stemmer makes of the word anyway.
 * With no languages and no CJK or Arabic, the query comes back unchanged.
 */
export function analyseQuery(query: string, languages: readonly string[]): string {
  const written = rewriteScripts(query, (w) => arabicLightStem(w));
  // Ingested text is NFKC already (ingest/documents/normalize.ts); a typed query may come decomposed.
  const pairs = vietnameseLetters(query.normalize('NFKC'), 1) ? syllablePairs(query) : [];
  const base = pairs.length > 0 ? `${written} ${pairs.join(' ')}` : written;
  if (languages.length === 0) return base;
  const extra = new Set<string>();
  for (const m of lowerCase(query).matchAll(WORD)) {
    for (const part of wordParts(m[0])) {
      const word = part.replace(/['’]+$/u, '');
      if (/[\u0600-\u06FF]/.test(word) || CJK_RUN.test(word)) continue;
      const englishForm = english(word);
      for (const lang of languages) {
        const s = indexForm(lang, word);
        if (s !== word && english(s) !== englishForm) extra.add(s);
      }
    }
  }
  return extra.size === 0 ? base : `${base} ${[...extra].join(' ')}`;
}

/**
 * The full-text query for a column: the analysed form for `terms`; for a
 * store still indexed on raw `text` (made before the `terms` column), the
 * earlier behaviour (Arabic forms added on the query side).
 */
export function ftsQuery(query: string, column: 'terms' | 'text', store: StoreLanguages): string {
  return column === 'terms' ? analyseQuery(query, languageFilter(query, store)) : withArabicForms(query);
}
