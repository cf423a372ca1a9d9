import * as chrono from 'chrono-node';
import { sentenceSpans } from '../../main/core/sentences.js';

/** A date or date range a text states, with its span in that text and the UTC interval it covers. */
export interface StatedTime {
  start: number;
  end: number;
  text: string;
  /** ISO 8601 (UTC), inclusive. A day without a time covers the whole UTC day. */
  t0: string;
  t1: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Military time-zone letters: Z is UTC, A-I/K-M east (+1..+12, J is unused), N-Y west (-1..-12). */
function zoneOffsetMinutes(letter: string): number | null {
  const l = letter.toUpperCase();
  if (l === 'Z') return 0;
  if (l >= 'A' && l <= 'I') return 60 * (l.charCodeAt(0) - 64);
  if (l >= 'K' && l <= 'M') return 60 * (l.charCodeAt(0) - 65);
  if (l >= 'N' && l <= 'Y') return -60 * (l.charCodeAt(0) - 77);
  return null;
}

/** Military date-time group ("141402ZMAR31", "14 1402Z MAR 2031"): analysts' reports use it and chrono does not know it. */
const dtgParser: chrono.Parser = {
  pattern: () => /\b(\d{2})\s?(\d{2})(\d{2})\s?([A-IK-Z])\s?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s?(\d{4}|\d{2})\b/i,
  extract: (_context, m) => {
    const [day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const offset = zoneOffsetMinutes(m[4]!);
    const month = MONTHS.indexOf(m[5]!.toUpperCase()) + 1;
    const yy = Number(m[6]);
    const year = m[6]!.length === 4 ? yy : yy < 70 ? 2000 + yy : 1900 + yy;
    if (offset === null || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
    return { day, month, year, hour, minute, second: 0, timezoneOffset: offset };
  },
};

/**
 * With the document's own date, chrono's casual parser (which also reads
 * "yesterday", "last Friday"); without one, the strict parser, which reads
 * only stated dates and is about three times faster. Both get the
 * date-time group through chrono's own parser hook.
 */
function withDtg(base: chrono.Chrono): chrono.Chrono {
  const c = base.clone();
  c.parsers.push(dtgParser);
  return c;
}
const casual = withDtg(chrono.casual);
const strict = withDtg(chrono.strict);

type Components = chrono.ParsedResult['start'];

const DAY_MS = 86_400_000;
const YEAR_MIN = 1900;
const YEAR_MAX = 2100;

/**
 * The UTC interval one side of a parse covers: the instant when a time is
 * stated, the whole day when only a date is, the whole month for "March
 * 2031". Null when no day of a month and year is known (a bare weekday, a
 * time on its own), so nothing is dated from a guess.
 */
function intervalOf(c: Components, haveReference: boolean): [number, number] | null {
  const year = c.get('year');
  const month = c.get('month');
  const day = c.get('day');
  if (year === null || month === null || day === null) return null;
  if (!c.isCertain('month')) return null;
  if (!c.isCertain('year') && !haveReference) return null;
  if (year < YEAR_MIN || year > YEAR_MAX) return null;
  if (!c.isCertain('day')) {
    // "March 2031": the month, only when the year is stated too.
    if (!c.isCertain('year')) return null;
    return [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1) - 1];
  }
  const dayStart = Date.UTC(year, month - 1, day);
  if (!c.isCertain('hour')) return [dayStart, dayStart + DAY_MS - 1];
  // A stated zone is applied; a time without one is read as UTC (reports are
  // usually in Zulu time, and the machine's zone says nothing about the text).
  const offset = c.isCertain('timezoneOffset') ? (c.get('timezoneOffset') ?? 0) : 0;
  const t = dayStart + ((c.get('hour') ?? 0) * 60 + (c.get('minute') ?? 0) - offset) * 60_000 + (c.get('second') ?? 0) * 1000;
  return [t, t];
}

/**
 * All-digit dates are the ones ordinary numbers imitate ("3/4 of the crew",
 * "5/6"). Keep one only with a stated year, and only when day and month
 * cannot be swapped (04/03/2031 is April in the US and March elsewhere).
 */
function plausibleNumeric(text: string, c: Components): boolean {
  if (/[a-z]/i.test(text)) return true;
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return true;
  if (!c.isCertain('year')) return false;
  const [a, b] = (text.match(/\d+/g) ?? []).map(Number);
  return !(a !== undefined && b !== undefined && a <= 12 && b <= 12 && a !== b);
}

interface Found {
  index: number;
  text: string;
  t0: number;
  t1: number;
}

function parseWith(parser: chrono.Chrono, sentence: string, instant: Date, reference: Date | null): Found[] {
  const out: Found[] = [];
  for (const r of parser.parse(sentence, { instant, timezone: 0 })) {
    // "now" is never a date a text states, and chrono reads it as one.
    if (/^\s*(?:right\s+)?now\s*$/i.test(r.text)) continue;
    // "within nine months", "12 days later", "in two weeks": durations from
    // an event in the story, not from the document's date.
    if (/\b(?:within|later|earlier|after|before|since)\b|^\s*in\s/i.test(r.text)) continue;
    if (!plausibleNumeric(r.text, r.start)) continue;
    const a = intervalOf(r.start, reference !== null);
    if (a === null) continue;
    const b = r.end ? intervalOf(r.end, reference !== null) : a;
    if (b === null || b[1] < a[0]) continue;
    out.push({ index: r.index, text: r.text, t0: a[0], t1: b[1] });
  }
  return out;
}

// Two unrelated instants: a date that comes out the same from both does not
// depend on when the text was written ("within nine months", "12 days
// later" do, even in chrono's strict mode).
const PROBE_A = new Date(Date.UTC(2001, 0, 1));
const PROBE_B = new Date(Date.UTC(2013, 6, 17));

function parseSentence(sentence: string, reference: Date | null): Found[] {
  if (reference) return parseWith(casual, sentence, reference, reference);
  const a = parseWith(strict, sentence, PROBE_A, null);
  if (a.length === 0) return a;
  const b = new Map(parseWith(strict, sentence, PROBE_B, null).map((f) => [`${f.index}:${f.text}`, f]));
  return a.filter((f) => {
    const g = b.get(`${f.index}:${f.text}`);
    return g !== undefined && g.t0 === f.t0 && g.t1 === f.t1;
  });
}

/**
 * A sentence can only yield a date this module keeps if it names a month,
 * writes one in digits (2031-03-14, 3/14/2031, 14.03.2031), carries a
 * date-time group or says "yesterday"/"today"/"tomorrow"/"tonight". Chrono
 * costs milliseconds per sentence, so the rest (most of any text) skip it.
 */
const DATABLE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])|\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{6}\s?[A-Z]\s?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)|\b(?:yesterday|today|tomorrow|tonight)\b/i;

/**
 * Dates and date ranges a text states. With `reference` (the document's own
 * date), relative and year-less expressions ("yesterday", "on 12 March")
 * resolve against it; without one only dates with a stated year count,
 * because resolving the others against today would date a passage by when
 * it was ingested. Parsed one
 * sentence at a time so chrono never joins a time in one sentence to a date
 * in the next.
 */
export function statedTimes(text: string, reference: Date | null): StatedTime[] {
  const out: StatedTime[] = [];
  for (const s of sentenceSpans(text)) {
    if (!DATABLE.test(s.text)) continue;
    const found = parseSentence(s.text, reference);
    for (const f of found) {
      out.push({ start: s.start + f.index, end: s.start + f.index + f.text.length, text: f.text, t0: new Date(f.t0).toISOString(), t1: new Date(f.t1).toISOString() });
    }
  }
  return out;
}
