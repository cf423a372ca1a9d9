import type { Observation, PageText } from '../main/core/types.js';
import type { ExtractedTrack, SensorFeature } from './sensors/index.js';

/**
 * Turns a decoded sensor feed into what the store keeps: one searchable,
 * citable passage per track segment (located by entity and time span) and
 * per named feature, and every observation for area/time queries. The
 * passages are laid out as one "page" so citations keep exact offsets.
 */
export interface TrackPassage {
  start: number;
  end: number;
  locator: { entity: string; t0: string; t1: string } | null;
  t0: string | null;
  t1: string | null;
  geo: { west: number; south: number; east: number; north: number } | null;
}

export interface TrackLayout {
  page: PageText;
  passages: TrackPassage[];
  observations: Omit<Observation, 'sourceId' | 'marking'>[];
  t0: string | null;
  t1: string | null;
  geo: TrackPassage['geo'];
}

const MAX_FEATURE_PASSAGES = 5000;

function positions(g: SensorFeature['geometry']): number[][] {
  if (!g) return [];
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positions);
  }
}

/** A loop, not Math.min(...list): spreading a million-point line overflows the call stack. */
function boundsOf(points: number[][]): TrackPassage['geo'] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const p of points) {
    const [lon, lat] = p as [number, number];
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return west === Infinity ? null : { west, south, east, north };
}

const fmt = (p: number[] | undefined): string => (p ? `${(p[1] as number).toFixed(5)}, ${(p[0] as number).toFixed(5)}` : '?');

/** A feature as one searchable sentence: kind, name, where, and any description. */
function describeFeature(f: SensorFeature): string {
  const p = f.properties;
  const pick = (...keys: string[]): string => keys.map((k) => p[k]).filter((v) => typeof v === 'string' && v.trim() !== '').join('. ');
  const label = pick('name', 'title', 'callsign');
  const detail = pick('description', 'desc', 'cmt', 'remarks', 'type');
  const pts = positions(f.geometry);
  const where = pts.length === 1 ? ` at ${fmt(pts[0])}` : pts.length > 1 ? ` of ${pts.length} points from ${fmt(pts[0])} to ${fmt(pts[pts.length - 1])}` : '';
  return `${f.geometry?.type ?? 'Feature'}${label ? ` ${label}` : ''}${where}${detail ? `: ${detail}` : ''}`;
}

function union(a: TrackPassage['geo'], b: TrackPassage['geo']): TrackPassage['geo'] {
  if (!a) return b;
  if (!b) return a;
  return { west: Math.min(a.west, b.west), south: Math.min(a.south, b.south), east: Math.max(a.east, b.east), north: Math.max(a.north, b.north) };
}

export function layoutTrack(track: ExtractedTrack): TrackLayout {
  let text = '';
  const passages: TrackPassage[] = [];
  const add = (body: string, p: Omit<TrackPassage, 'start' | 'end'>): void => {
    const clean = body.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    if (text) text += '\n\n';
    passages.push({ ...p, start: text.length, end: text.length + clean.length });
    text += clean;
  };
  for (const s of track.segments) {
    const [west, south, east, north] = s.bbox;
    add(s.text, {
      locator: s.t0 && s.t1 ? { entity: s.entity, t0: s.t0, t1: s.t1 } : null,
      t0: s.t0,
      t1: s.t1,
      geo: { west, south, east, north },
    });
  }
  for (const f of track.features.slice(0, MAX_FEATURE_PASSAGES)) {
    add(describeFeature(f), { locator: null, t0: null, t1: null, geo: boundsOf(positions(f.geometry)) });
  }
  const times = track.observations.map((o) => o.t).filter((t): t is string => t !== null).sort();
  const geo = passages.reduce<TrackPassage['geo']>((g, p) => union(g, p.geo), null);
  return { page: { page: 1, text }, passages, observations: track.observations, t0: times[0] ?? null, t1: times[times.length - 1] ?? null, geo };
}
