import { bboxOf, haversine, KNOT_MS, latLonText, placeText } from './geo.js';
import { humanDuration, humanTime } from './time.js';
import type { GeoBBox, Observation, TrackSegment } from './types.js';

export interface PartPoint extends Observation {
  part: string;
  seq: number;
  /** `t` as epoch milliseconds, parsed once. */
  ms: number | null;
}

/** A stop is this long at least... */
const STOP_MIN_MS = 10 * 60_000;
/** ...within this radius of where it began. */
const STOP_RADIUS_M = 100;

/**
 * Orders each entity's points (by part, then time) and cuts them into
 * segments at part boundaries and at gaps longer than `maxGapMs`.
 * Observations come back grouped by entity so each segment is a slice.
 */
export function buildSegments(
  points: PartPoint[],
  labelOf: (entity: string) => string,
  maxGapMs: number,
): { observations: Observation[]; segments: TrackSegment[] } {
  const byEntity = new Map<string, Map<string, PartPoint[]>>();
  for (const p of points) {
    let parts = byEntity.get(p.entity);
    if (!parts) byEntity.set(p.entity, (parts = new Map()));
    let list = parts.get(p.part);
    if (!list) parts.set(p.part, (list = []));
    list.push(p);
  }

  const observations: Observation[] = [];
  const segments: TrackSegment[] = [];
  for (const [entity, parts] of byEntity) {
    const ordered = [...parts.values()].map(sortByTime);
    // Parts in the order of their first time (source order when untimed).
    ordered.sort((a, b) => firstKey(a) - firstKey(b));
    for (const run of ordered) {
      let start = 0;
      for (let i = 1; i <= run.length; i++) {
        const cut = i === run.length || gapMs(run[i - 1]!, run[i]!) > maxGapMs;
        if (!cut) continue;
        const slice = run.slice(start, i);
        const offset = observations.length;
        for (const p of slice) observations.push({ entity: p.entity, t: p.t, lat: p.lat, lon: p.lon, alt: p.alt, speed: p.speed, course: p.course });
        segments.push(makeSegment(entity, labelOf(entity), slice, offset));
        start = i;
      }
    }
  }
  return { observations, segments };
}

function sortByTime(list: PartPoint[]): PartPoint[] {
  if (!list.every((p) => p.ms !== null)) return list;
  return [...list].sort((a, b) => a.ms! - b.ms! || a.seq - b.seq);
}

function firstKey(list: PartPoint[]): number {
  const first = list[0]!;
  return first.ms ?? first.seq;
}

function gapMs(a: PartPoint, b: PartPoint): number {
  if (a.ms === null || b.ms === null) return 0;
  return b.ms - a.ms;
}

function makeSegment(entity: string, label: string, pts: PartPoint[], offset: number): TrackSegment {
  const times = pts.filter((p) => p.t !== null).map((p) => p.t!);
  const t0 = times.length ? times.reduce((a, b) => (a < b ? a : b)) : null;
  const t1 = times.length ? times.reduce((a, b) => (a > b ? a : b)) : null;
  const bbox = bboxOf(pts) as GeoBBox;
  return { entity, t0, t1, count: pts.length, bbox, text: summarise(label, pts, t0, t1), start: offset, end: offset + pts.length };
}

function summarise(label: string, pts: PartPoint[], t0: string | null, t1: string | null): string {
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const out: string[] = [`${label}.`];
  const durationMs = t0 !== null && t1 !== null ? Date.parse(t1) - Date.parse(t0) : 0;
  if (pts.length === 1) {
    out.push(t0 === null ? `1 position, no time: ${placeText(first.lat, first.lon)}.` : `1 position at ${humanTime(t0)}: ${placeText(first.lat, first.lon)}.`);
  } else {
    out.push(
      t0 === null || t1 === null
        ? `${pts.length} positions without time stamps.`
        : `${pts.length} positions from ${humanTime(t0)} to ${humanTime(t1)} (${humanDuration(durationMs)}).`,
    );
    out.push(`Moved from ${placeText(first.lat, first.lon)} to ${placeText(last.lat, last.lon)}.`);
    let metres = 0;
    for (let i = 1; i < pts.length; i++) metres += haversine(pts[i - 1]!.lat, pts[i - 1]!.lon, pts[i]!.lat, pts[i]!.lon);
    const facts = [`distance ${(metres / 1000).toFixed(2)} km`];
    if (durationMs > 0) {
      const ms = metres / (durationMs / 1000);
      facts.push(`mean speed ${(ms * 3.6).toFixed(1)} km/h (${(ms / KNOT_MS).toFixed(1)} kn)`);
    }
    const speeds = range(pts.map((p) => p.speed));
    if (speeds) {
      const max = speeds[1];
      facts.push(`max reported speed ${(max * 3.6).toFixed(1)} km/h (${(max / KNOT_MS).toFixed(1)} kn)`);
    }
    out.push(`${capitalise(facts.join(', '))}.`);
    const stop = longestStop(pts);
    if (stop) out.push(`Stopped ${humanDuration(stop.ms)} near ${latLonText(stop.lat, stop.lon)} from ${humanTime(stop.from)}.`);
  }
  const alts = range(pts.map((p) => p.alt));
  if (alts) {
    const [lo, hi] = alts;
    out.push(lo === hi ? `Altitude ${Math.round(lo)} m.` : `Altitude ${Math.round(lo)} to ${Math.round(hi)} m.`);
  }
  return out.join(' ');
}

/** [min, max] of the non-null values (no spread: tracks can hold a million points). */
function range(values: Array<number | null>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? null : [lo, hi];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The longest stay of at least 10 min within 100 m of where it began. */
function longestStop(pts: PartPoint[]): { ms: number; lat: number; lon: number; from: string } | null {
  let best: { ms: number; lat: number; lon: number; from: string } | null = null;
  let i = 0;
  while (i < pts.length) {
    const a = pts[i]!;
    let j = i + 1;
    while (j < pts.length && haversine(a.lat, a.lon, pts[j]!.lat, pts[j]!.lon) <= STOP_RADIUS_M) j++;
    const b = pts[j - 1]!;
    if (a.ms !== null && b.ms !== null) {
      const ms = b.ms - a.ms;
      if (ms >= STOP_MIN_MS && (!best || ms > best.ms)) best = { ms, lat: a.lat, lon: a.lon, from: a.t! };
    }
    i = j;
  }
  return best;
}
