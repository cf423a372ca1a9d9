import type { TrackBuilder } from './builder.js';
import { KNOT_MS, validLatLon } from './geo.js';
import type { Notes } from './notes.js';
import { parseTime } from './time.js';
import type { SensorFeature, SensorGeometry } from './types.js';

/**
 * Splits GeoJSON features (from togeojson or a GeoJSON file) into timed
 * tracks, which become observations, and everything else (waypoints, routes,
 * untimed lines, polygons), which stays a feature.
 *
 * A line is timed when it carries per-vertex times, as togeojson writes
 * them: `properties.coordinateProperties.times` (current) or
 * `properties.coordTimes` (older releases), flat for a LineString and one
 * list per part for a MultiLineString or a GeometryCollection of lines.
 */
export interface SplitContext {
  builder: TrackBuilder;
  notes: Notes;
  /** Entity for unnamed tracks: the file's stem. */
  defaultEntity: string;
  /** `GPX track`, `KML track`... used in segment texts. */
  kind: string;
}

export interface SplitResult {
  features: SensorFeature[];
  tracks: Array<{ entity: string; points: number; properties: Record<string, unknown> }>;
}

const IDENTITY_KEYS = ['mmsi', 'icao24', 'icao', 'callsign', 'entity', 'track_id', 'trackid', 'trajectory_id', 'device_id', 'device', 'uid', 'vehicle_id'];
const TIME_KEYS = ['time', 'timestamp', 'datetime', 'when', 't'];

export function splitFeatures(input: unknown[], ctx: SplitContext): SplitResult {
  const features: SensorFeature[] = [];
  const tracks: SplitResult['tracks'] = [];
  let unnamed = 0;
  const unnamedTotal = input.filter((f) => isTimedLine(asFeature(f)) && nameOf(asFeature(f)) === null).length;

  input.forEach((raw, index) => {
    const f = asFeature(raw);
    if (!f) return;
    if (isTimedLine(f)) {
      let entity = nameOf(f);
      if (entity === null) {
        unnamed++;
        entity = unnamedTotal > 1 ? `${ctx.defaultEntity} track ${unnamed}` : ctx.defaultEntity;
      }
      ctx.builder.describe(entity, `${ctx.kind} "${entity}"`);
      const points = addTimedLine(f, entity, index, ctx);
      tracks.push({ entity, points, properties: withoutPerPointArrays(f.properties) });
      return;
    }
    if (f.geometry?.type === 'Point' && addIdentifiedPoint(f, ctx)) return;
    checkRanges(f.geometry, ctx.notes);
    features.push(f);
  });
  return { features, tracks };
}

function asFeature(raw: unknown): SensorFeature | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const properties = o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties) ? (o.properties as Record<string, unknown>) : {};
  const feature: SensorFeature = { type: 'Feature', geometry: (o.geometry ?? null) as SensorGeometry | null, properties };
  if (typeof o.id === 'string' || typeof o.id === 'number') feature.id = o.id;
  return feature;
}

function nameOf(f: SensorFeature | null): string | null {
  const n = f?.properties.name;
  if (typeof n !== 'string') return null;
  const clean = n.replace(/\s+/g, ' ').trim();
  return clean === '' ? null : clean;
}

function timesOf(f: SensorFeature): unknown {
  const cp = f.properties.coordinateProperties;
  if (cp && typeof cp === 'object' && Array.isArray((cp as Record<string, unknown>).times)) return (cp as Record<string, unknown>).times;
  return f.properties.coordTimes;
}

/** Per-part coordinates of a line-like geometry. */
function lineParts(g: SensorGeometry | null): number[][][] | null {
  if (!g) return null;
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  if (g.type === 'GeometryCollection' && g.geometries.length > 0 && g.geometries.every((x) => x?.type === 'LineString')) {
    return g.geometries.map((x) => (x as { coordinates: number[][] }).coordinates);
  }
  return null;
}

/** Per-part values of a per-vertex property: flat for one part, nested for several. */
function partArrays(values: unknown, parts: number): unknown[][] | null {
  if (!Array.isArray(values)) return null;
  if (parts === 1 && !Array.isArray(values[0])) return [values];
  if (values.length === parts && values.every(Array.isArray)) return values as unknown[][];
  return null;
}

function isTimedLine(f: SensorFeature | null): boolean {
  if (!f) return false;
  const parts = lineParts(f.geometry);
  if (!parts) return false;
  const times = partArrays(timesOf(f), parts.length);
  return times !== null && times.some((list) => list.some((t) => (typeof t === 'string' && t.trim() !== '') || typeof t === 'number'));
}

function addTimedLine(f: SensorFeature, entity: string, featureIndex: number, ctx: SplitContext): number {
  const parts = lineParts(f.geometry)!;
  const times = partArrays(timesOf(f), parts.length)!;
  const cp = f.properties.coordinateProperties as Record<string, unknown> | undefined;
  const speeds = partArrays(cp?.speeds ?? f.properties.speeds, parts.length);
  let added = 0;
  parts.forEach((coords, pi) => {
    const ts = times[pi] ?? [];
    if (ts.length !== coords.length) {
      ctx.notes.warn(`track "${entity}" part ${pi + 1} has ${coords.length} positions but ${ts.length} times; times were matched by position`);
    }
    coords.forEach((c, ci) => {
      const raw = ts[ci];
      const t = typeof raw === 'string' || typeof raw === 'number' ? parseTime(String(raw)) : null;
      if (t === null) ctx.notes.count('line-no-time', (n) => `${n} track point(s) without a readable time kept with no time`);
      else if (t.assumedUtc) ctx.notes.warn('times without a UTC offset were read as UTC');
      const sp = speeds?.[pi]?.[ci];
      const ok = ctx.builder.add({
        entity,
        t: t?.iso ?? null,
        lon: num(c[0]),
        lat: num(c[1]),
        alt: c.length > 2 ? num(c[2]) : null,
        speed: typeof sp === 'number' ? sp : null,
        part: `${featureIndex}:${pi}`,
      });
      if (ok) added++;
    });
  });
  return added;
}

/** A timed point that names its entity (mmsi, callsign, track_id...) is an observation, not a waypoint. */
function addIdentifiedPoint(f: SensorFeature, ctx: SplitContext): boolean {
  const p = f.properties;
  const idKey = IDENTITY_KEYS.find((k) => (typeof p[k] === 'string' && (p[k] as string).trim() !== '') || typeof p[k] === 'number');
  const timeKey = TIME_KEYS.find((k) => typeof p[k] === 'string' || typeof p[k] === 'number');
  if (!idKey || !timeKey) return false;
  const t = parseTime(String(p[timeKey]));
  if (!t) return false;
  const c = (f.geometry as { coordinates: number[] }).coordinates;
  const entity = String(p[idKey]).trim();
  ctx.builder.describe(entity, `${idKey} ${entity}`);
  const speed = typeof p.speed === 'number' ? p.speed : typeof p.sog === 'number' ? p.sog * KNOT_MS : null;
  const course = typeof p.course === 'number' ? p.course : typeof p.cog === 'number' ? p.cog : null;
  ctx.builder.add({ entity, t: t.iso, lon: num(c[0]), lat: num(c[1]), alt: c.length > 2 ? num(c[2]) : null, speed, course, part: 'points' });
  return true;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

function withoutPerPointArrays(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (k === 'coordinateProperties' || k === 'coordTimes' || (Array.isArray(v) && v.length > 16)) continue;
    out[k] = v;
  }
  return out;
}

function checkRanges(g: SensorGeometry | null, notes: Notes): void {
  if (!g) return;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      if (!validLatLon(c[1] as number, c[0])) notes.count('feature-range', (n) => `${n} feature position(s) outside lat [-90, 90] / lon [-180, 180] (kept as given)`, JSON.stringify(c));
      return;
    }
    for (const x of c) visit(x);
  };
  if (g.type === 'GeometryCollection') for (const x of g.geometries) checkRanges(x, notes);
  else visit(g.coordinates);
}
