/**
 * Camera metadata with exifr: GPS position (signed by its N/S/E/W refs),
 * capture time as ISO 8601 with the UTC offset when the file states one,
 * camera, orientation, and a title from IPTC/EXIF. Values are read raw
 * (no exifr revivers, which drop offsets and sub-seconds) and validated here:
 * malformed GPS becomes "no position", never a garbage coordinate.
 */

import exifr from 'exifr';
import { flirDateTimeOriginal } from './flir.js';
import type { GeoPoint, ImageFormat } from './types.js';

export interface ExifInfo {
  geo: GeoPoint | null;
  time: string | null;
  /** Which tag the time came from: DateTimeOriginal, FLIR, CreateDate, GPS (UTC) */
  timeSource: string | null;
  camera: string | null;
  orientation: number | null;
  title: string | null;
  /** Selected raw tags worth keeping (stringified, short). */
  tags: Record<string, unknown>;
  warnings: string[];
}

const EMPTY: ExifInfo = { geo: null, time: null, timeSource: null, camera: null, orientation: null, title: null, tags: {}, warnings: [] };

const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: {},
  exif: true,
  gps: true,
  iptc: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: true,
  silentErrors: true,
} as const;

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const s = v.replace(/\0+$/g, '').trim();
  return s === '' ? null : s;
};

function firstNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v && typeof v === 'object' && 0 in (v as object)) return firstNumber((v as Record<number, unknown>)[0]);
  return null;
}

function numberArray(v: unknown): number[] | null {
  if (typeof v === 'number') return Number.isFinite(v) ? [v] : null;
  if (!v || typeof v !== 'object') return null;
  const arr = Array.from(v as ArrayLike<unknown>);
  if (arr.length === 0 || arr.length > 3 || !arr.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  return arr as number[];
}

/** Degrees from [deg, min, sec] (any trailing parts may be absent), signed by the ref. */
function coordinate(value: unknown, ref: unknown, negativeRef: 'S' | 'W', max: number): number | null {
  const parts = numberArray(value);
  if (!parts) return null;
  const [d = 0, m = 0, s = 0] = parts;
  if (parts.some((x) => x < 0) && parts.length > 1) return null;
  if (m >= 60 || s >= 60) return null;
  let deg = Math.abs(d) + m / 60 + s / 3600;
  const r = str(ref)?.toUpperCase()[0];
  if (r === negativeRef || (r === undefined && d < 0)) deg = -deg;
  return Math.abs(deg) <= max ? deg : null;
}

function gpsPoint(raw: Raw, warnings: string[]): GeoPoint | null {
  const lat = coordinate(raw.GPSLatitude, raw.GPSLatitudeRef, 'S', 90);
  const lon = coordinate(raw.GPSLongitude, raw.GPSLongitudeRef, 'W', 180);
  if (lat === null || lon === null) {
    if (raw.GPSLatitude !== undefined || raw.GPSLongitude !== undefined) warnings.push('GPS position present but malformed; treated as absent');
    return null;
  }
  if (lat === 0 && lon === 0) {
    warnings.push('GPS 0,0 (a receiver without a fix) treated as absent');
    return null;
  }
  let alt = firstNumber(raw.GPSAltitude);
  if (alt !== null && firstNumber(raw.GPSAltitudeRef) === 1) alt = -Math.abs(alt);
  if (alt !== null && Math.abs(alt) > 100_000) alt = null;
  return { lat, lon, alt };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * "YYYY:MM:DD HH:MM:SS[.fff][±HH:MM]" (EXIF) to ISO 8601. The zone written in
 * the value wins; else `offset` ("+02:00") when valid; else no zone (local time).
 * Placeholder and impossible dates give null.
 */
export function exifDateToIso(value: unknown, offset?: unknown): string | null {
  const s = str(value);
  if (!s) return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone] = m;
  const n = (x: string | undefined): number => Number(x);
  if (n(y) < 1800 || n(mo) < 1 || n(mo) > 12 || n(d) < 1 || n(d) > 31 || n(h) > 23 || n(mi) > 59 || n(sec) > 60) return null;
  const date = new Date(Date.UTC(n(y), n(mo) - 1, n(d)));
  if (date.getUTCDate() !== n(d)) return null; // 2021-02-30
  let tz = '';
  const given = zone ?? str(offset) ?? undefined;
  if (given) {
    const z = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/.exec(given);
    if (z) tz = given === 'Z' ? 'Z' : n(z[2]) <= 14 && n(z[3]) < 60 ? `${z[1]}${z[2]}:${z[3]}` : '';
  }
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${tz}`;
}

function gpsTime(raw: Raw): string | null {
  const date = str(raw.GPSDateStamp);
  const t = numberArray(raw.GPSTimeStamp);
  if (!date || !t || t.length !== 3) return null;
  const [h, m, s] = t as [number, number, number];
  if (h > 23 || m > 59 || s >= 61 || h < 0 || m < 0 || s < 0) return null;
  const whole = Math.floor(s);
  const ms = Math.round((s - whole) * 1000);
  return exifDateToIso(`${date} ${pad(h)}:${pad(m)}:${pad(whole)}${ms ? `.${pad(ms, 3)}` : ''}`, 'Z');
}

function camera(raw: Raw): string | null {
  const make = str(raw.Make);
  const model = str(raw.Model);
  if (!model) return make;
  if (!make) return model;
  const first = model.split(/\s+/)[0]!.toLowerCase();
  return make.toLowerCase().split(/\s+/).includes(first) ? model : `${make} ${model}`;
}

const GENERIC_DESCRIPTIONS = /^(|(olympus|sony|kodak|nikon|canon|samsung|lg|huawei|default|minolta) (digital camera|dsc)|image|picture|photo|untitled|camera|dcim|default)$/i;

function title(raw: Raw): string | null {
  for (const key of ['XPTitle', 'Headline', 'ObjectName', 'ImageDescription', 'Caption']) {
    const v = raw[key];
    const s = typeof v === 'string' ? str(v) : Array.isArray(v) ? str(v.join(' ')) : null;
    if (!s || GENERIC_DESCRIPTIONS.test(s) || !/\p{L}/u.test(s)) continue;
    // IPTC ObjectName is often an agency id ("drp2091169d"), not a title.
    if (key === 'ObjectName' && !/\s/.test(s) && /\d/.test(s)) continue;
    return s.slice(0, 200);
  }
  return null;
}

const KEEP = ['Make', 'Model', 'LensModel', 'Software', 'DateTimeOriginal', 'CreateDate', 'ModifyDate', 'OffsetTimeOriginal', 'OffsetTime', 'SubSecTimeOriginal', 'GPSDateStamp', 'GPSMapDatum', 'GPSImgDirection', 'GPSImgDirectionRef', 'GPSSpeed', 'GPSSpeedRef', 'GPSHPositioningError', 'GPSDOP', 'ExifImageWidth', 'ExifImageHeight', 'Artist', 'Copyright', 'CopyrightNotice', 'Byline', 'Credit', 'Source', 'Sublocation', 'City', 'State', 'Country', 'Keywords', 'ObjectName', 'Headline', 'Caption', 'ImageDescription'];

function keep(raw: Raw): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEEP) {
    const v = raw[k];
    if (typeof v === 'string') {
      const s = str(v);
      if (s) out[k] = s.slice(0, 500);
    } else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v.slice(0, 50).map((x: string) => x.slice(0, 100));
    else if (v && typeof v === 'object' && 0 in (v as object)) {
      const n = firstNumber(v);
      if (n !== null) out[k] = n;
    }
  }
  return out;
}

/** EXIF/IPTC of an image; never throws (a broken block becomes a warning). */
export async function readExif(bytes: Uint8Array, format: ImageFormat): Promise<ExifInfo> {
  let raw: Raw | undefined;
  const warnings: string[] = [];
  try {
    raw = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), EXIFR_OPTIONS)) as Raw | undefined;
  } catch (e) {
    return { ...EMPTY, warnings: [`EXIF unreadable: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const flir = format === 'jpeg' ? flirDateTimeOriginal(bytes) : null;
  if (!raw && !flir) return { ...EMPTY, warnings };
  raw ??= {};
  const geo = gpsPoint(raw, warnings);
  let time: string | null = null;
  let timeSource: string | null = null;
  const candidates: [string, string | null][] = [
    ['FLIR', flir ? exifDateToIso(flir) : null],
    ['DateTimeOriginal', exifDateToIso(raw.DateTimeOriginal, raw.OffsetTimeOriginal ?? raw.OffsetTime)],
    ['CreateDate', exifDateToIso(raw.CreateDate, raw.OffsetTimeDigitized ?? raw.OffsetTime)],
    ['GPS (UTC)', gpsTime(raw)],
  ];
  for (const [source, value] of candidates) {
    if (value) {
      time = value;
      timeSource = source;
      break;
    }
  }
  if (!time && raw.DateTimeOriginal !== undefined) warnings.push(`DateTimeOriginal "${String(raw.DateTimeOriginal).slice(0, 40)}" is not a valid date`);
  const o = firstNumber(raw.Orientation);
  const tags = keep(raw);
  if (flir) tags.FlirDateTimeOriginal = flir;
  const gt = gpsTime(raw);
  if (gt) tags.GPSDateTime = gt;
  return { geo, time, timeSource, camera: camera(raw), orientation: o !== null && o >= 1 && o <= 8 ? o : null, title: title(raw), tags, warnings };
}
