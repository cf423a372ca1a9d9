import proj4 from 'proj4';
import type { GeoBounds } from '../../main/core/types.js';

/** A place a text states: its span in the text, the point, and the area it denotes (a point, or an MGRS square). */
export interface StatedPlace {
  start: number;
  end: number;
  text: string;
  lat: number;
  lon: number;
  bounds: GeoBounds;
  format: 'decimal' | 'dms' | 'compact' | 'mgrs';
}

/*
 * Finding coordinates in running text is the job here: the coordinate
 * libraries on npm (geo-coordinates-parser, sexagesimal) read a string that
 * *is* a coordinate and reject anything around it, so each pattern below
 * captures its parts and the conversion is plain arithmetic. Every pattern
 * demands a sign of intent that ordinary numbers lack: hemisphere letters,
 * degree/minute marks, an MGRS grid-zone-and-square, or GPS-like precision.
 */

// Angle: degrees, optionally with a degree mark and minutes (and seconds).
const angle = (deg: string): string =>
  `(${deg}(?:\\.\\d{1,8})?)\\s?(?:([°º˚])\\s?(?:(\\d{1,2}(?:\\.\\d{1,6})?)\\s?['′’]\\s?(?:(\\d{1,2}(?:\\.\\d{1,4})?)\\s?(?:["″”]|'')\\s?)?)?)?`;
const LAT = angle('\\d{1,2}');
const LON = angle('\\d{1,3}');
const NS = '(N|S|North|South)(?![A-Za-z])';
const EW = '(E|W|East|West)(?![A-Za-z])';
const SEP = '\\s?[,;/]?\\s?';
const LEAD = '(?<![\\w.°])';

/** 34.0522 N, 118.2437 W · 36°50'47"N 76°17'19"W · 36°50.78'N 076°17.32'W */
const HEMI_AFTER = new RegExp(`${LEAD}${LAT}${NS}${SEP}${LON}${EW}`, 'g');
/** N 34.0522, W 118.2437 · N36°50'47" W076°17'19" */
const HEMI_BEFORE = new RegExp(`${LEAD}${NS}\\s?${LAT}${SEP}${EW}\\s?${LON}(?![\\d.])`, 'g');
/** 365047N0761719W · 3650N07617W (DDMM[SS]N DDDMM[SS]W, as in military reports) */
const COMPACT = /(?<![\w.])(\d{2})(\d{2})(\d{2}(?:\.\d{1,3})?)?([NS])\s?(\d{3})(\d{2})(\d{2}(?:\.\d{1,3})?)?([EW])(?![A-Za-z0-9])/g;
/** Lat 34.0522, Lon -118.2437 · latitude: 34.05 N longitude: 118.24 W */
const LABELED = /\blat(?:itude)?\.?\s?[:=]?\s?(-?\d{1,2}(?:\.\d{1,8})?)\s?°?\s?([NS])?(?![A-Za-z])[\s,;/]{1,3}lon(?:g|gitude)?\.?\s?[:=]?\s?(-?\d{1,3}(?:\.\d{1,8})?)\s?°?\s?([EW])?(?![A-Za-z\d.])/gi;
/** 34.0522, -118.2437 — signed decimal degrees, not inside a longer list of numbers; see fromPlain for when. */
const PLAIN = /(?<![\w.,-]|\d\s?,\s?)(-?\d{1,2}\.(\d{2,8}))\s?,\s?(-?\d{1,3}\.(\d{2,8}))(?![\d.]|\s?,\s?-?\d)/g;
/** 18SUJ2337106519 · 18S UJ 23371 06519 — upper case only, 4 to 10 digits (1 km or finer) in two equal halves. */
const MGRS = /(?<![A-Za-z0-9])(\d{1,2}[C-HJ-NP-X])\s?([A-HJ-NP-Z]{2})\s?(\d{2,5}\s\d{2,5}|\d{4,10})(?![A-Za-z0-9])/g;

// Words that announce a position: with one of them just before, a plain pair
// of decimals needs only two decimal places; otherwise four (GPS precision)
// and not both under 1 (ratios, probabilities).
const CUE = /\b(?:lat|lats|latitude|lon|long|longitude|coord|coords|coordinates|position|posit|pos|located|location|loc|gps|fix|grid|waypoint|wpt)\b[^.\n]{0,40}$/i;

function dms(deg: string, mark: string | undefined, min: string | undefined, sec: string | undefined): number | null {
  const d = Number(deg);
  const m = min === undefined ? 0 : Number(min);
  const s = sec === undefined ? 0 : Number(sec);
  // Fractional degrees with minutes ("34.5°12'") or minutes/seconds of 60+ are not coordinates.
  if (m >= 60 || s >= 60 || (min !== undefined && deg.includes('.')) || (sec !== undefined && min!.includes('.'))) return null;
  // Without a degree mark, only decimal degrees with a fraction count ("34 N" could be anything).
  if (mark === undefined && !deg.includes('.')) return null;
  return d + m / 60 + s / 3600;
}

const signed = (v: number, hemi: string): number => (/^[SW]/i.test(hemi) ? -v : v);

function point(lat: number, lon: number): GeoBounds {
  return { west: lon, south: lat, east: lon, north: lat };
}

function valid(lat: number | null, lon: number | null): lat is number {
  return lat !== null && lon !== null && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

type Match = Omit<StatedPlace, 'start' | 'end' | 'text'>;

function fromHemiAfter(m: RegExpExecArray): Match | null {
  const lat = dms(m[1]!, m[2], m[3], m[4]);
  const lon = dms(m[6]!, m[7], m[8], m[9]);
  if (!valid(lat, lon)) return null;
  const la = signed(lat, m[5]!);
  const lo = signed(lon!, m[10]!);
  return { lat: la, lon: lo, bounds: point(la, lo), format: m[2] || m[7] ? 'dms' : 'decimal' };
}

function fromHemiBefore(m: RegExpExecArray): Match | null {
  const lat = dms(m[2]!, m[3], m[4], m[5]);
  const lon = dms(m[7]!, m[8], m[9], m[10]);
  if (!valid(lat, lon)) return null;
  const la = signed(lat, m[1]!);
  const lo = signed(lon!, m[6]!);
  return { lat: la, lon: lo, bounds: point(la, lo), format: m[3] || m[8] ? 'dms' : 'decimal' };
}

function fromCompact(m: RegExpExecArray): Match | null {
  // Seconds on one side only is not a coordinate pair anyone writes.
  if ((m[3] === undefined) !== (m[7] === undefined)) return null;
  const part = (d: string, mi: string, s: string | undefined): number | null => {
    const min = Number(mi);
    const sec = s === undefined ? 0 : Number(s);
    return min >= 60 || sec >= 60 ? null : Number(d) + min / 60 + sec / 3600;
  };
  const lat = part(m[1]!, m[2]!, m[3]);
  const lon = part(m[5]!, m[6]!, m[7]);
  if (!valid(lat, lon)) return null;
  const la = signed(lat, m[4]!);
  const lo = signed(lon!, m[8]!);
  return { lat: la, lon: lo, bounds: point(la, lo), format: 'compact' };
}

function fromPlain(m: RegExpExecArray, before: string): Match | null {
  const places = Math.min(m[2]!.length, m[4]!.length);
  const lat = Number(m[1]);
  const lon = Number(m[3]);
  const cued = CUE.test(before);
  if (!cued && (places < 4 || (Math.abs(lat) < 1 && Math.abs(lon) < 1))) return null;
  if (!valid(lat, lon)) return null;
  return { lat, lon, bounds: point(lat, lon), format: 'decimal' };
}

function fromLabeled(m: RegExpExecArray): Match | null {
  // A hemisphere letter with a minus sign contradicts itself.
  if ((m[2] && m[1]!.startsWith('-')) || (m[4] && m[3]!.startsWith('-'))) return null;
  const lat = m[2] ? signed(Number(m[1]), m[2]) : Number(m[1]);
  const lon = m[4] ? signed(Number(m[3]), m[4]) : Number(m[3]);
  if (!valid(lat, lon)) return null;
  return { lat, lon, bounds: point(lat, lon), format: 'decimal' };
}

function fromMgrs(m: RegExpExecArray): Match | null {
  const digits = m[3]!.replace(/\s/g, '');
  const halves = m[3]!.split(/\s/);
  if (digits.length % 2 !== 0 || (halves.length === 2 && halves[0]!.length !== halves[1]!.length)) return null;
  const zone = Number(m[1]!.slice(0, -1));
  if (zone < 1 || zone > 60) return null;
  const square = `${zone}${m[1]!.slice(-1)}${m[2]}`;
  const ref = `${square}${digits}`;
  try {
    const [west, south, east, north] = proj4.mgrs.inverse(ref) as [number, number, number, number];
    const [lon, lat] = proj4.mgrs.toPoint(ref) as [number, number];
    if (!valid(lat, lon) || ![west, south, east, north].every(Number.isFinite)) return null;
    // The library converts some impossible squares without complaint; a
    // reference that does not come back as itself names no real place.
    if (!proj4.mgrs.forward([lon, lat]).startsWith(square)) return null;
    return { lat, lon, bounds: { west, south, east, north }, format: 'mgrs' };
  } catch {
    return null;
  }
}

/**
 * Coordinates a text states, in the order they appear. Patterns run from
 * the most to the least specific and a span claimed once is not read again,
 * so "36°50'47"N 76°17'19"W" is one place, not also a decimal pair.
 */
export function statedPlaces(text: string): StatedPlace[] {
  const claimed: [number, number][] = [];
  const out: StatedPlace[] = [];
  const free = (s: number, e: number): boolean => claimed.every(([a, b]) => e <= a || s >= b);
  const run = (re: RegExp, read: (m: RegExpExecArray) => Match | null): void => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].trimEnd().length;
      if (!free(start, end)) continue;
      const got = read(m);
      if (!got) continue;
      claimed.push([start, end]);
      out.push({ start, end, text: text.slice(start, end), ...got });
    }
  };
  run(MGRS, fromMgrs);
  run(COMPACT, fromCompact);
  run(HEMI_AFTER, fromHemiAfter);
  run(HEMI_BEFORE, fromHemiBefore);
  run(LABELED, fromLabeled);
  run(PLAIN, (m) => fromPlain(m, text.slice(Math.max(0, m.index - 60), m.index)));
  return out.sort((a, b) => a.start - b.start);
}
