import { DefaultPacketFactory, parseGenericPacket, type Packet } from 'nmea-simple';
import { KNOT_MS } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { splitLines } from './text.js';
import type { ExtractedTrack } from './types.js';

/** 1024 GPS weeks: what a receiver with the week-rollover bug is behind by. */
export const GPS_ROLLOVER_MS = 1024 * 7 * 86_400_000;
const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;

/** One receiver epoch: every sentence that carries the same UTC time of day, merged (as gpsd does). */
interface Epoch {
  tod: number;
  /** UTC midnight of the fix's day, when RMC/ZDA said. */
  day: number | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
  speed: number | null;
  course: number | null;
  /** Which sentence supplied the position: GGA beats RMC beats GLL/GNS. */
  rank: number;
}

const factory = new DefaultPacketFactory(true);

/**
 * NMEA 0183 logs (GGA, RMC, GLL, GNS, VTG, ZDA...): sentences are decoded by
 * nmea-simple, grouped into epochs by their time of day, and each epoch with
 * a valid fix becomes one observation. Sentences with a bad checksum are
 * skipped and counted. Dates come from RMC/ZDA and are carried to the
 * epochs around them (across midnight too); a date before the GPS date floor
 * is taken as the 1024-week rollover bug and moved forward, with a warning.
 */
export function readNmea(text: string, ctx: ReaderContext): ExtractedTrack {
  const { notes } = ctx;
  const epochs: Epoch[] = [];
  const recent = new Map<string, Epoch>();
  const state: { current: Epoch | null } = { current: null };
  const sentences: Record<string, number> = {};
  const talkers = new Set<string>();
  let checksumFailures = 0;

  const epochFor = (todField: string): Epoch | null => {
    const tod = parseTod(todField);
    if (tod === null) return null;
    let e = recent.get(todField);
    if (!e) {
      e = { tod, day: null, lat: null, lon: null, alt: null, speed: null, course: null, rank: 0 };
      epochs.push(e);
      recent.set(todField, e);
      if (recent.size > 8) recent.delete(recent.keys().next().value!);
    }
    state.current = e;
    return e;
  };

  for (const rawLine of splitLines(text)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const start = line.indexOf('$');
    if (start < 0) {
      if (line.includes('!AIVDM') || line.includes('!AIVDO')) notes.count('nmea-ais', (n) => `${plural(n, 'AIS sentence')} ignored in an NMEA log`);
      else notes.count('nmea-junk', (n) => `${plural(n, 'line')} skipped (not NMEA sentences)`, line);
      continue;
    }
    const sentence = line.slice(start);
    if (!/\*[0-9A-Fa-f]{2}$/.test(sentence)) {
      notes.count('nmea-nochk', (n) => `${plural(n, 'sentence')} without a *hh checksum skipped`, sentence);
      continue;
    }
    let packet: Packet;
    try {
      packet = parseGenericPacket(sentence, factory);
    } catch {
      const id = /^\$(?:P|[A-Z]{2})([A-Z0-9]{2,})/.exec(sentence)?.[1] ?? '?';
      sentences[id] = (sentences[id] ?? 0) + 1;
      continue; // sentence types nmea-simple does not know carry no position we use
    }
    if (!packet.chxOk) {
      checksumFailures++;
      notes.count('nmea-chk', (n) => `${plural(n, 'sentence')} with a bad checksum skipped`, sentence);
      continue;
    }
    const fields = sentence.split('*')[0]!.split(',');
    sentences[packet.sentenceId] = (sentences[packet.sentenceId] ?? 0) + 1;
    if (packet.talkerId) talkers.add(packet.talkerId);
    const f = (i: number): string => fields[i] ?? '';
    switch (packet.sentenceId) {
      case 'GGA': {
        const e = epochFor(f(1));
        if (!e) break;
        const quality = Number(f(6) || '0');
        const sats = Number(f(7) || '0');
        if (quality === 0 || !f(2) || !f(4)) break;
        if (sats < 3) {
          notes.count('nmea-fewsats', (n) => `${plural(n, 'GGA fix', 'GGA fixes')} with fewer than 3 satellites not taken as positions (as gpsd does)`);
          break;
        }
        setPosition(e, 3, packet.latitude, packet.longitude);
        if (f(9) !== '') e.alt = packet.altitudeMeters;
        break;
      }
      case 'RMC': {
        const e = epochFor(f(1));
        if (!e) break;
        const day = dayOf(packet.datetime);
        if (f(9) !== '' && day !== null) e.day = day;
        if (packet.status !== 'valid' || !f(3) || !f(5)) break;
        setPosition(e, 2, packet.latitude, packet.longitude);
        if (f(7) !== '') e.speed = packet.speedKnots * KNOT_MS;
        if (f(8) !== '') e.course = packet.trackTrue;
        break;
      }
      case 'GLL': {
        const e = epochFor(f(5));
        if (!e || packet.status !== 'valid' || !f(1) || !f(3)) break;
        setPosition(e, 1, packet.latitude, packet.longitude);
        break;
      }
      case 'GNS': {
        const e = epochFor(f(1));
        const mode = f(6);
        if (!e || !f(2) || !f(4) || mode === '' || /^N+$/.test(mode)) break;
        setPosition(e, 1, packet.latitude, packet.longitude);
        if (f(9) !== '' && e.alt === null) e.alt = packet.altitudeMeters;
        break;
      }
      case 'VTG': {
        // VTG has no time: it belongs to the epoch being assembled.
        const e = state.current;
        if (!e) break;
        if (f(7) !== '') e.speed = packet.speedKmph! / 3.6;
        else if (f(5) !== '') e.speed = packet.speedKnots * KNOT_MS;
        if (f(1) !== '') e.course = packet.trackTrue;
        break;
      }
      case 'ZDA': {
        const e = epochFor(f(1));
        if (e && f(2) && f(3) && f(4)) e.day = dayOf(packet.datetime);
        break;
      }
      default:
        break;
    }
  }

  const shifted = assignDays(epochs, ctx.opts.gpsDateFloorMs);
  if (shifted > 0) {
    notes.warn(`${plural(shifted, 'fix', 'fixes')} dated before ${new Date(ctx.opts.gpsDateFloorMs).toISOString().slice(0, 10)} moved forward by 1024 weeks (GPS week-rollover bug in the receiver)`);
  }
  const undated = epochs.some((e) => e.lat !== null && e.day === null);
  if (undated) notes.warn('the log has no RMC or ZDA date: fixes are kept without a time');
  const future = epochs.filter((e) => e.day !== null && e.day + e.tod > Date.now() + DAY_MS).length;
  if (future > 0) notes.warn(`${plural(future, 'fix', 'fixes')} dated in the future: check the receiver clock (GPS week rollover?)`);

  const entity = ctx.stem;
  ctx.builder.describe(entity, `GPS receiver log "${entity}" (NMEA 0183${talkers.size ? `, talker ${[...talkers].join('/')}` : ''})`);
  let fixes = 0;
  for (const e of epochs) {
    if (e.lat === null || e.lon === null) continue;
    fixes++;
    ctx.builder.add({
      entity,
      t: e.day === null ? null : new Date(e.day + e.tod).toISOString(),
      lat: e.lat,
      lon: e.lon,
      alt: e.alt,
      speed: e.speed,
      course: e.course,
    });
  }
  if (fixes === 0) notes.warn('no valid position fix in the log');
  return finishTrack(ctx, 'nmea', `NMEA log ${ctx.stem}`, [], {
    sentences,
    talkers: [...talkers],
    checksumFailures,
    epochs: epochs.length,
    fixes,
    rolloverShifted: shifted,
  });
}

function setPosition(e: Epoch, rank: number, lat: number, lon: number): void {
  if (rank < e.rank || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
  e.rank = rank;
  e.lat = lat;
  e.lon = lon;
}

/** `hhmmss[.sss]` to milliseconds after midnight. */
function parseTod(s: string): number | null {
  const m = /^(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const sec = Number(m[3]);
  if (h > 23 || mi > 59 || sec > 60) return null;
  const ms = m[4] === undefined ? 0 : Math.round(Number(`0.${m[4]}`) * 1000);
  return ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

function dayOf(d: Date): number | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Gives every epoch a day: its own, else carried forward from the last dated
 * epoch (a time of day that jumps back by more than 12 h is the next day),
 * else carried back from the first dated one. Returns how many were moved
 * forward for the week-rollover bug.
 */
function assignDays(epochs: Epoch[], floorMs: number): number {
  let last: Epoch | null = null;
  for (const e of epochs) {
    if (e.day !== null) last = e;
    else if (last) {
      e.day = last.day! + (e.tod < last.tod - HALF_DAY_MS ? DAY_MS : e.tod > last.tod + HALF_DAY_MS ? -DAY_MS : 0);
      last = e;
    }
  }
  let next: Epoch | null = null;
  for (let i = epochs.length - 1; i >= 0; i--) {
    const e = epochs[i]!;
    if (e.day !== null) next = e;
    else if (next) {
      e.day = next.day! + (e.tod > next.tod + HALF_DAY_MS ? -DAY_MS : 0);
      next = e;
    }
  }
  let shifted = 0;
  for (const e of epochs) {
    if (e.day === null || e.day + e.tod >= floorMs) continue;
    while (e.day + e.tod < floorMs) e.day += GPS_ROLLOVER_MS;
    if (e.lat !== null) shifted++;
  }
  return shifted;
}
