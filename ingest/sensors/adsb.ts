import { parse } from 'csv-parse/sync';
import ModeSDecoder, { type ModeSMessage } from 'mode-s-decoder';
import decodeCPR from 'mode-s-aircraft-store/lib/cpr.js';
import { KNOT_MS } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { splitLines } from './text.js';
import { plausible } from './time.js';
import type { ExtractedTrack } from './types.js';

const FT = 0.3048;
/** An even and an odd CPR frame decode together only when this close in time (dump1090's rule). */
const CPR_PAIR_MS = 10_000;
/** A velocity message describes the next positions for this long. */
const VELOCITY_FRESH_MS = 30_000;

/** One Mode S message as read: what a question or a test needs from it. */
export interface AdsbMessage {
  icao: string;
  df: number;
  typecode: number | null;
  crcOk: boolean;
  callsign?: string;
  /** Feet, as broadcast. */
  altitudeFt?: number;
  /** 0 even, 1 odd: airborne position frames only. */
  cprFormat?: 0 | 1;
  rawLat?: number;
  rawLon?: number;
  groundspeedKn?: number;
  trackDeg?: number;
}

const decoder = new ModeSDecoder({ fixErrors: false });

/** Decodes one message given as hex (14 or 28 hex digits) with mode-s-decoder. Null when it is not hex of a Mode S length. */
export function decodeAdsbHex(hex: string): AdsbMessage | null {
  const h = hex.trim().replace(/^\*|;$/g, '');
  if (!/^(?:[0-9A-Fa-f]{14}|[0-9A-Fa-f]{28})$/.test(h)) return null;
  const m: ModeSMessage = decoder.parse(Buffer.from(h, 'hex'));
  const out: AdsbMessage = { icao: m.icao.toString(16).toUpperCase().padStart(6, '0'), df: m.msgtype, typecode: m.metype ?? null, crcOk: m.crcOk };
  if (m.msgtype !== 17 && m.msgtype !== 18) return out;
  const tc = m.metype ?? 0;
  if (tc >= 1 && tc <= 4 && m.callsign) out.callsign = m.callsign.replace(/[_\s#]+$/, '').trim();
  if ((tc >= 9 && tc <= 18) || (tc >= 20 && tc <= 22)) {
    if (m.altitude !== null && m.altitude !== undefined) out.altitudeFt = m.unit === ModeSDecoder.UNIT_METERS ? m.altitude / FT : m.altitude;
    out.cprFormat = m.fflag ? 1 : 0;
    out.rawLat = m.rawLatitude ?? undefined;
    out.rawLon = m.rawLongitude ?? undefined;
  }
  if (tc === 19 && (m.mesub === 1 || m.mesub === 2)) Object.assign(out, groundVelocity(m));
  return out;
}

/**
 * Ground speed and track from the east-west and north-south components.
 * mode-s-decoder reports a speed from the raw fields, which carry the
 * velocity plus one (0 means "not available"); DO-260B's value is raw - 1,
 * as pyModeS and current dump1090 read it, so the components are read here.
 * Subtype 2 (supersonic) counts in units of 4 kn.
 */
function groundVelocity(m: ModeSMessage): Pick<AdsbMessage, 'groundspeedKn' | 'trackDeg'> {
  if (!m.ewVelocity || !m.nsVelocity || m.ewDir === null || m.nsDir === null) return {};
  const unit = m.mesub === 2 ? 4 : 1;
  const ew = (m.ewVelocity - 1) * unit * (m.ewDir ? -1 : 1);
  const ns = (m.nsVelocity - 1) * unit * (m.nsDir ? -1 : 1);
  const track = (Math.atan2(ew, ns) * 180) / Math.PI;
  return { groundspeedKn: Math.hypot(ew, ns), trackDeg: (track + 360) % 360 };
}

interface Frame {
  lat: number;
  lon: number;
  t: number;
}

interface Aircraft {
  callsign?: string;
  even?: Frame;
  odd?: Frame;
  velocity?: { kn: number; deg: number; t: number };
}

/** A time column value: unix seconds (pyModeS, many loggers) or an ISO/`YYYY/MM/DD HH:MM:SS` date. */
function timeOf(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const s = v.trim();
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{12,13}$/.test(s)) return Number(s);
  const ms = Date.parse(s.replace(/\//g, '-').replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z'));
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Raw ADS-B (Mode S extended squitter, DF17/18) as logged by receivers:
 * CSV rows of a time and the message in hex (pyModeS' `ts,msg` logs, with
 * or without a header), or dump1090's AVR lines (`*8D...;`, no time).
 * Messages are decoded by mode-s-decoder; an even and an odd airborne
 * position frame of one aircraft less than 10 s apart are resolved to a
 * position by dump1090's global CPR decode (mode-s-aircraft-store), with
 * the times of the frames themselves, not the clock of the machine. Each
 * position is an observation of the ICAO address, with the barometric
 * altitude, the latest ground speed and track, and the callsign in the
 * segment text. Messages failing the CRC are skipped and counted; surface
 * positions (which need the receiver's own position) are counted.
 */
export function readAdsb(text: string, ctx: ReaderContext): ExtractedTrack {
  const { notes, builder } = ctx;
  const aircraft = new Map<string, Aircraft>();
  let messages = 0;
  let crcFailures = 0;
  let positions = 0;
  const lines = splitLines(text).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const first = lines[0] ?? '';
  const rows: { t: number | null; hex: string }[] = [];
  if (first.startsWith('*')) {
    for (const l of lines) rows.push({ t: null, hex: l });
  } else {
    const records = parse(lines.join('\n'), { relax_column_count: true, trim: true, skip_empty_lines: true }) as string[][];
    const header = records[0] && !records[0].some((c) => /^[0-9A-Fa-f]{14}(?:[0-9A-Fa-f]{14})?$/.test(c)) ? records.shift()! : null;
    const hexCol = header ? header.findIndex((h) => /^(msg|message|raw|hex)(_?hex)?$/i.test(h)) : (records[0]?.findIndex((c) => /^[0-9A-Fa-f]{28}$|^[0-9A-Fa-f]{14}$/.test(c)) ?? -1);
    const timeCol = header ? header.findIndex((h) => /^(ts|time|timestamp|t|unix_?time|time_?s)$/i.test(h)) : 0;
    for (const r of records) rows.push({ t: timeCol >= 0 && timeCol !== hexCol ? timeOf(r[timeCol]) : null, hex: r[hexCol] ?? '' });
  }

  const at = (ms: number | null): string | null => (ms !== null && plausible(ms) ? new Date(ms).toISOString() : null);
  for (const { t, hex } of rows) {
    const m = decodeAdsbHex(hex);
    if (!m) {
      notes.count('adsb-junk', (n) => `${plural(n, 'line')} without a Mode S message in hex skipped`, hex);
      continue;
    }
    messages++;
    if (!m.crcOk) {
      crcFailures++;
      notes.count('adsb-crc', (n) => `${plural(n, 'Mode S message')} failing the CRC skipped`, hex);
      continue;
    }
    if (m.df !== 17 && m.df !== 18) {
      notes.count('adsb-df', (n) => `${plural(n, 'Mode S message')} other than extended squitter (DF17/18) skipped`);
      continue;
    }
    let a = aircraft.get(m.icao);
    if (!a) aircraft.set(m.icao, (a = {}));
    const tc = m.typecode ?? 0;
    if (m.callsign) a.callsign = m.callsign;
    if (tc >= 5 && tc <= 8) notes.count('adsb-surface', (n) => `${plural(n, 'surface position message')} skipped (decoding them needs the receiver's position)`);
    if (m.groundspeedKn !== undefined && t !== null) a.velocity = { kn: m.groundspeedKn, deg: m.trackDeg!, t };
    if (m.cprFormat === undefined || m.rawLat === undefined || m.rawLon === undefined) continue;
    if (t === null) {
      notes.count('adsb-notime', (n) => `${plural(n, 'position frame')} without a time skipped (a CPR pair needs the frames' times)`);
      continue;
    }
    const frame = { lat: m.rawLat, lon: m.rawLon, t };
    if (m.cprFormat === 1) a.odd = frame;
    else a.even = frame;
    if (!a.even || !a.odd || Math.abs(a.even.t - a.odd.t) > CPR_PAIR_MS) continue;
    const pair: Parameters<typeof decodeCPR>[0] = {
      _evenCprLat: a.even.lat, _evenCprLng: a.even.lon, _evenCprTime: a.even.t,
      _oddCprLat: a.odd.lat, _oddCprLng: a.odd.lon, _oddCprTime: a.odd.t,
    };
    decodeCPR(pair);
    if (pair.lat === undefined || pair.lng === undefined) {
      notes.count('adsb-cpr', (n) => `${plural(n, 'CPR pair')} straddling a latitude zone boundary not resolved`);
      continue;
    }
    const v = a.velocity && Math.abs(t - a.velocity.t) <= VELOCITY_FRESH_MS ? a.velocity : null;
    positions++;
    builder.add({ entity: m.icao, t: at(t), lat: pair.lat, lon: pair.lng, alt: m.altitudeFt === undefined ? null : m.altitudeFt * FT, speed: v ? v.kn * KNOT_MS : null, course: v ? v.deg : null });
  }
  for (const [icao, a] of aircraft) builder.describe(icao, a.callsign ? `ICAO ${icao} (aircraft, callsign ${a.callsign})` : `ICAO ${icao} (aircraft)`);
  return finishTrack(ctx, 'adsb', `ADS-B log ${ctx.stem}`, [], {
    messages,
    crcFailures,
    positions,
    aircraft: [...aircraft].map(([icao, a]) => ({ icao, ...(a.callsign ? { callsign: a.callsign } : {}) })),
  });
}
