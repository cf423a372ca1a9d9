import { parse } from 'csv-parse/sync';
import { KNOT_MS } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { plausible } from './time.js';
import type { ExtractedTrack } from './types.js';

const FT = 0.3048;
/** A velocity message (MSG,4) describes the next positions for this long. */
const VELOCITY_FRESH_MS = 30_000;

/** Field positions of the BaseStation (SBS-1) format that dump1090 and readsb serve on port 30003. */
const F = { type: 0, tx: 1, icao: 4, date: 6, time: 7, callsign: 10, altitude: 11, speed: 12, track: 13, lat: 14, lon: 15, onGround: 21 } as const;

/** SBS dates and times ("2031/03/14", "06:00:00.000") carry no zone. */
function timeOf(date: string | undefined, time: string | undefined): number | null {
  if (!date || !time) return null;
  const ms = Date.parse(`${date.replace(/\//g, '-')}T${time}Z`);
  return Number.isFinite(ms) && plausible(ms) ? ms : null;
}

/**
 * SBS-1 / BaseStation text (`MSG,3,1,1,4CA2D6,1,2031/03/14,06:00:00.000,...`),
 * one message per line, parsed with csv-parse. Positions (transmission
 * types 2 and 3) become observations of the ICAO address, with the
 * altitude and the latest ground speed and track (types 2 and 4);
 * identification (type 1) names the aircraft in its segments. The format's
 * times have no zone: they are read as UTC, and the warnings say so.
 */
export function readSbs(text: string, ctx: ReaderContext): ExtractedTrack {
  const { notes, builder } = ctx;
  const aircraft = new Map<string, { callsign?: string; velocity?: { kn: number; deg: number; t: number } }>();
  let messages = 0;
  const rows = parse(text, { relax_column_count: true, relax_quotes: true, trim: true, skip_empty_lines: true, comment: '#' }) as string[][];
  notes.warn('SBS times carry no time zone; read as UTC');
  for (const r of rows) {
    if (r[F.type] !== 'MSG') {
      if (!['SEL', 'ID', 'AIR', 'STA', 'CLK'].includes(r[F.type] ?? '')) notes.count('sbs-junk', (n) => `${plural(n, 'line')} that are not SBS messages skipped`, r.join(','));
      continue;
    }
    messages++;
    const icao = (r[F.icao] ?? '').toUpperCase();
    if (!/^[0-9A-F]{6}$/.test(icao)) {
      notes.count('sbs-icao', (n) => `${plural(n, 'SBS message')} without a hex ICAO address skipped`, r.join(','));
      continue;
    }
    let a = aircraft.get(icao);
    if (!a) aircraft.set(icao, (a = {}));
    const t = timeOf(r[F.date], r[F.time]);
    const num = (i: number): number | null => {
      const v = r[i];
      if (v === undefined || v === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    };
    const callsign = r[F.callsign]?.trim();
    if (callsign) a.callsign = callsign;
    const speed = num(F.speed);
    const track = num(F.track);
    if (speed !== null && track !== null && t !== null) a.velocity = { kn: speed, deg: track, t };
    const lat = num(F.lat);
    const lon = num(F.lon);
    if (lat === null || lon === null) continue;
    if (t === null) notes.count('sbs-time', (n) => `${plural(n, 'SBS position')} without a usable date and time kept without a time`, r.join(','));
    const v = a.velocity && t !== null && Math.abs(t - a.velocity.t) <= VELOCITY_FRESH_MS ? a.velocity : null;
    const alt = num(F.altitude);
    builder.add({ entity: icao, t: t === null ? null : new Date(t).toISOString(), lat, lon, alt: alt === null ? null : alt * FT, speed: v ? v.kn * KNOT_MS : null, course: v ? v.deg : null });
  }
  for (const [icao, a] of aircraft) builder.describe(icao, a.callsign ? `ICAO ${icao} (aircraft, callsign ${a.callsign})` : `ICAO ${icao} (aircraft)`);
  return finishTrack(ctx, 'sbs', `SBS feed ${ctx.stem}`, [], {
    messages,
    aircraft: [...aircraft].map(([icao, a]) => ({ icao, ...(a.callsign ? { callsign: a.callsign } : {}) })),
  });
}
