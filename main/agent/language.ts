import { stopwords as arabicStop } from '@orama/stopwords/arabic';
import { stopwords as bulgarianStop } from '@orama/stopwords/bulgarian';
import { stopwords as danishStop } from '@orama/stopwords/danish';
import { stopwords as dutchStop } from '@orama/stopwords/dutch';
import { stopwords as finnishStop } from '@orama/stopwords/finnish';
import { stopwords as frenchStop } from '@orama/stopwords/french';
import { stopwords as germanStop } from '@orama/stopwords/german';
import { stopwords as greekStop } from '@orama/stopwords/greek';
import { stopwords as hungarianStop } from '@orama/stopwords/hungarian';
import { stopwords as hindiStop } from '@orama/stopwords/indian';
import { stopwords as indonesianStop } from '@orama/stopwords/indonesian';
import { stopwords as italianStop } from '@orama/stopwords/italian';
import { stopwords as japaneseStop } from '@orama/stopwords/japanese';
import { stopwords as lithuanianStop } from '@orama/stopwords/lithuanian';
import { stopwords as chineseStop } from '@orama/stopwords/mandarin';
import { stopwords as norwegianStop } from '@orama/stopwords/norwegian';
import { stopwords as portugueseStop } from '@orama/stopwords/portuguese';
import { stopwords as romanianStop } from '@orama/stopwords/romanian';
import { stopwords as russianStop } from '@orama/stopwords/russian';
import { stopwords as serbianStop } from '@orama/stopwords/serbian';
import { stopwords as spanishStop } from '@orama/stopwords/spanish';
import { stopwords as swedishStop } from '@orama/stopwords/swedish';
import { stopwords as tamilStop } from '@orama/stopwords/tamil';
import { stopwords as turkishStop } from '@orama/stopwords/turkish';
import { stopwords as ukrainianStop } from '@orama/stopwords/ukrainian';
import { StemmerHi } from '@nlpjs/lang-hi';
import { stemmer as porter } from 'stemmer';
import { arabicLightStem, normalizeArabic } from '../embed/arabic.js';
import { cjkBigrams, STOPWORDS, words } from '../embed/tokens.js';
import { stemWith } from '../search/analyse.js';
import { answerTerms, stemmedTerms } from './terms.js';

/**
 * Which language a passage's terms are taken in, for matching a question
 * against its sentences (the extractive composer). English keeps exactly the
 * terms it always had (`stemmedTerms`); other languages get their own stop
 * words (Orama's lists) and Snowball stemmer, Chinese, Japanese and Thai-
 * family scripts are cut into words by ICU's dictionary segmenter
 * (`Intl.Segmenter`), so "Wie viele Einwohner hat Freiburg?" is about
 * "einwohn" and "freiburg" rather than "wie" and "viele", and "富士山の標高"
 * is about 富士山 and 標高, not the particle の.
 */
export type TermLanguage = string;

/**
 * Question words the stop lists leave out (closed classes, checked against
 * Orama's lists): a question's "when" or "how many" is never what it is
 * about, and in English they were always stop words.
 */
const QUESTION_WORDS: Record<string, string> = {
  de: 'wer wen wem wessen was wann wo wohin woher warum wieso weshalb wie welche welcher welches welchen welchem viele viel wieviel wievielen',
  fr: 'qui que quoi quand où comment pourquoi combien quel quelle quels quelles lequel laquelle',
  es: 'quién quiénes qué cuándo dónde cómo por cuál cuáles cuánto cuánta cuántos cuántas',
  it: 'chi che cosa quando dove come perché quale quali quanto quanta quanti quante',
  pt: 'quem que quando onde como porque porquê qual quais quanto quanta quantos quantas',
  nl: 'wie wat wanneer waar waarom hoe welke welk hoeveel',
  ru: 'кто кого кому кем что чего чем когда где куда откуда почему зачем как какой какая какое какие каков какова каково сколько',
  uk: 'хто кого кому ким що чого чим коли де куди звідки чому навіщо як який яка яке які скільки',
  ar: 'من ما ماذا متى أين اين كيف لماذا كم أي اي هل',
  zh: '什么 谁 哪 哪里 哪个 哪些 何时 多少 为什么 怎么 怎样 几 吗 呢',
  ja: '何 なに なん 誰 だれ いつ どこ なぜ どの どれ いくつ いくら どう どんな か',
  hi: 'क्या कौन कौनसा कौनसी किस किसने किसे किसको किसका किसकी किसके कब कहाँ कहां कितना कितने कितनी कैसे क्यों है हैं था थी थे',
  th: 'อะไร ไหน ที่ไหน เมื่อไร เมื่อไหร่ ใคร เท่าไร เท่าไหร่ กี่ อย่างไร ทำไม ไหม หรือไม่ คือ ของ ใน ที่ และ เป็น มี ได้ จะ ไป ให้ กับ แล้ว ว่า นี้ นั้น',
  vi: 'gì nào ai đâu bao nhiêu mấy khi nào tại sao vì sao thế nào như thế nào là của và có được trong những các một cho với đã không này đó thì để từ',
  // Orama's lists leave these out for Greek (accented and not: questions are typed both ways; its list also
  // lacks common articles and particles), Turkish and Romanian.
  el: 'τη της τις τους από απο είναι ειναι ήταν ηταν ένα ενα μια μία θα να ποιος ποια ποιο ποιοι ποιες ποιον ποιου ποιας ποιων τι πότε ποτε πού που πώς πως πόσος πόση πόσο πόσοι πόσες πόσα ποσος ποση ποσο ποσοι ποσες ποσα γιατί γιατι',
  tr: 'kaç kaçta kaçıncı hangisi hangileri nereye nereden neresi kimin kime kimi nedir midir mıdır mı mi mu mü',
  ro: 'câți câte cât câtă cui căror cărui',
};

interface LanguageTerms {
  stop: ReadonlySet<string>;
  stem: (word: string) => string;
}

/**
 * A language's stop and question words, and its stemmer: the analyser's
 * Snowball one (main/search/analyse.ts) when `stem` is true, none when
 * false, or the one given.
 */
const spaced = (stop: readonly string[], lang: string, stem: boolean | ((w: string) => string) = true): LanguageTerms => ({
  stop: new Set([...stop, ...(QUESTION_WORDS[lang]?.split(' ') ?? [])].map((w) => w.normalize('NFKC').toLowerCase())),
  stem: typeof stem === 'function' ? stem : stem ? (w) => stemWith(lang, w) : (w) => w,
});

/**
 * Hindi: nlp.js's light stemmer (Ramanathan & Rao's suffix lists), so
 * "जाना" / "जाता" and "शहर" / "शहरों" meet. Only here: the retrieval index
 * truncates Hindi words instead (main/search/analyse.ts, measured there).
 */
const hindiStemmer = new StemmerHi();

/** Languages written with spaces between words, by ISO 639-1 code (Snowball stems where there is a stemmer). */
const SPACED: Record<string, LanguageTerms> = {
  de: spaced(germanStop, 'de'),
  fr: spaced(frenchStop, 'fr'),
  es: spaced(spanishStop, 'es'),
  it: spaced(italianStop, 'it'),
  pt: spaced(portugueseStop, 'pt'),
  nl: spaced(dutchStop, 'nl'),
  sv: spaced(swedishStop, 'sv'),
  no: spaced(norwegianStop, 'no'),
  da: spaced(danishStop, 'da'),
  fi: spaced(finnishStop, 'fi'),
  hu: spaced(hungarianStop, 'hu'),
  ro: spaced(romanianStop, 'ro'),
  id: spaced(indonesianStop, 'id'),
  lt: spaced(lithuanianStop, 'lt'),
  tr: spaced(turkishStop, 'tr'),
  ru: spaced(russianStop, 'ru'),
  uk: spaced(ukrainianStop, 'uk'),
  bg: spaced(bulgarianStop, 'bg'),
  sr: spaced(serbianStop, 'sr'),
  el: spaced(greekStop, 'el'),
  // No stemmer for Vietnamese (its words are syllables, written apart) and Tamil: stop and question words only.
  vi: spaced([], 'vi', false),
  hi: spaced(hindiStop, 'hi', (w) => hindiStemmer.stemWord(w)),
  ta: spaced(tamilStop, 'ta', false),
};
const LATIN_LANGUAGES = ['de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'no', 'da', 'fi', 'hu', 'ro', 'id', 'lt', 'tr', 'vi'];
const CYRILLIC_LANGUAGES = ['ru', 'uk', 'bg', 'sr'];

const ARABIC_STOP = new Set([...arabicStop, ...QUESTION_WORDS.ar!.split(' ')].map(normalizeArabic));
const SEGMENTED_STOP: Record<string, ReadonlySet<string>> = {
  zh: new Set([...chineseStop, ...QUESTION_WORDS.zh!.split(' ')]),
  ja: new Set([...japaneseStop, ...QUESTION_WORDS.ja!.split(' ')]),
  th: new Set(QUESTION_WORDS.th!.split(' ')),
};
/** Scripts ICU segments into words from a dictionary (no spaces between words). */
const SEGMENTED = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my']);

const SCRIPTS: [string, RegExp][] = [
  ['latin', /\p{sc=Latin}/gu],
  ['cyrillic', /\p{sc=Cyrillic}/gu],
  ['greek', /\p{sc=Greek}/gu],
  ['arabic', /\p{sc=Arabic}/gu],
  ['han', /\p{sc=Han}/gu],
  ['kana', /[\p{sc=Hiragana}\p{sc=Katakana}]/gu],
  ['hangul', /\p{sc=Hangul}/gu],
  ['hi', /\p{sc=Devanagari}/gu],
  ['ta', /\p{sc=Tamil}/gu],
  ['th', /\p{sc=Thai}/gu],
  ['lo', /\p{sc=Lao}/gu],
  ['km', /\p{sc=Khmer}/gu],
  ['my', /\p{sc=Myanmar}/gu],
];

/** Enough text to decide on; a passage is seldom longer, a book's first page is plenty. */
const SAMPLE_CHARS = 2_000;

/** The language among `candidates` whose stop words the text uses most; null when none beats English's. */
function byStopWords(tokens: readonly string[], candidates: readonly string[], englishHits: number): string | null {
  let best: string | null = null;
  let bestHits = 0;
  for (const lang of candidates) {
    const stop = SPACED[lang]!.stop;
    let hits = 0;
    for (const t of tokens) if (stop.has(t)) hits++;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  // Two function words at least, and more than English has: a name or a loan word decides nothing.
  return best !== null && bestHits >= 2 && bestHits > englishHits ? best : null;
}

/**
 * The language of a text for term matching: the dominant script decides
 * Chinese, Japanese, Korean, Arabic, Greek and the Thai family; within
 * Latin and Cyrillic scripts, whose stop words the text uses. 'en' when
 * nothing else is clear, which keeps the English behaviour.
 */
export function termLanguage(text: string): TermLanguage {
  const sample = text.slice(0, SAMPLE_CHARS);
  let script = 'latin';
  let most = 0;
  const counts = new Map<string, number>();
  for (const [name, re] of SCRIPTS) {
    const n = sample.match(re)?.length ?? 0;
    counts.set(name, n);
    if (n > most) {
      script = name;
      most = n;
    }
  }
  if (most === 0) return 'en';
  if (script === 'han' || script === 'kana') return (counts.get('kana') ?? 0) > 0 ? 'ja' : 'zh';
  if (script === 'hangul') return 'ko';
  if (script === 'arabic') return 'ar';
  if (script === 'greek') return 'el';
  if (script === 'hi' || script === 'ta') return script;
  if (SEGMENTED.has(script)) return script;
  const tokens = splitWords(sample);
  if (script === 'cyrillic') return byStopWords(tokens, CYRILLIC_LANGUAGES, 0) ?? 'ru';
  let englishHits = 0;
  for (const t of tokens) if (STOPWORDS.has(t)) englishHits++;
  return byStopWords(tokens, LATIN_LANGUAGES, englishHits) ?? 'en';
}

/** Korean question words, at the start of a word (particles and endings follow them: 누구인가, 어디에서). */
const KOREAN_QUESTION = /^(?:누구|무엇|무슨|언제|어디|얼마|어느|어떤|어떻게|어째서|왜|몇)/u;
/**
 * Particles, copula and common verb endings a Korean word carries (the
 * longest that fits is taken off, one only): "불국사를" in a question and "불국사는" in the passage
 * are one word. Both sides lose the same endings, so a noun that happens to
 * end in one of these syllables still meets itself.
 */
const KOREAN_ENDINGS = [
  ...['에서부터', '으로부터', '하였는가', '에게서', '이었다', '하였다', '였는가', '었는가', '되었다', '이라고', '였다', '었다', '이다', '인가', '는가'],
  ...['에서', '에게', '으로', '부터', '까지', '처럼', '보다', '라고', '했다', '하는', '하여', '한다', '된다', '되어'],
  ...['은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '한', '된'],
].sort((a, b) => b.length - a.length);

/**
 * Korean terms: question words dropped, one ending taken off each word, then
 * syllable bigrams (Korean words are compounds; the retrieval analysis uses
 * bigrams too), digits and Latin words as in English.
 */
function koreanTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!raw) continue;
    if (!/\p{sc=Hangul}/u.test(raw)) {
      out.push(...stemmedTerms(raw));
      continue;
    }
    if (KOREAN_QUESTION.test(raw)) continue;
    const ending = KOREAN_ENDINGS.find((e) => raw.length > e.length && raw.endsWith(e));
    const word = ending ? raw.slice(0, -ending.length) : raw;
    for (const part of word.match(/\p{sc=Hangul}+|[^\p{sc=Hangul}]+/gu) ?? []) {
      if (!/\p{sc=Hangul}/u.test(part)) {
        out.push(...stemmedTerms(part));
        continue;
      }
      out.push(...cjkBigrams(part));
    }
  }
  return out;
}

/** Words, with elisions and hyphenated parts apart ("l'altitude", "a-t-elle"). */
function splitWords(text: string): string[] {
  return words(text).flatMap((w) => w.split(/['’_-]+/u)).filter((w) => w !== '');
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmentWords(text: string, lang: string): string[] {
  let seg = segmenters.get(lang);
  if (!seg) segmenters.set(lang, (seg = new Intl.Segmenter(lang, { granularity: 'word' })));
  const out: string[] = [];
  // NFKC splits Thai SARA AM (U+0E33) into two code points the segmenter then cuts apart: CJK only.
  const norm = lang === 'zh' || lang === 'ja' ? text.normalize('NFKC') : text;
  for (const s of seg.segment(norm.toLowerCase())) if (s.isWordLike) out.push(s.segment);
  return out;
}

/**
 * The content terms of a text taken as `lang` (from `termLanguage`): what
 * the composer matches a question against a sentence with. For English
 * `answerTerms` (stemmedTerms with hyphenated and possessive words split).
 */
export function termsIn(text: string, lang: TermLanguage): string[] {
  const rules = SPACED[lang];
  if (rules) {
    return splitWords(text)
      .filter((w) => !rules.stop.has(w))
      .map((w) => rules.stem(w));
  }
  if (lang === 'ko') return koreanTerms(text);
  if (lang === 'ar') {
    return words(text)
      .filter((w) => !ARABIC_STOP.has(normalizeArabic(w)) && !STOPWORDS.has(w))
      .map((w) => (/^[a-z]+$/.test(w) ? porter(w) : arabicLightStem(w)));
  }
  if (SEGMENTED.has(lang)) {
    const stop = SEGMENTED_STOP[lang];
    return segmentWords(text, lang)
      .filter((w) => !stop?.has(w) && !STOPWORDS.has(w))
      .map((w) => (/^[a-z]+$/.test(w) ? porter(w) : w));
  }
  return answerTerms(text);
}
