import type { Feature, FeatureCollection } from 'geojson';
import type { Observation } from '../transport/types.js';

/** Distinct, colour-blind-friendly hues (Okabe–Ito) for entities. */
export const TRACK_COLOURS = ['#e69f00', '#56b4e9', '#009e73', '#d55e00', '#cc79a7', '#0072b2', '#f0e442'];

export function colourOf(entities: string[], entity: string): string {
  const i = entities.indexOf(entity);
  return TRACK_COLOURS[(i < 0 ? 0 : i) % TRACK_COLOURS.length]!;
}

/** A silence longer than this ends a segment: the path is not drawn across it. */
export const SEGMENT_GAP_MS = 30 * 60 * 1000;

/** Splits one entity's time-ordered points where the feed fell silent. */
export function segments(sorted: Observation[]): Observation[][] {
  const out: Observation[][] = [];
  let current: Observation[] = [];
  let last: number | null = null;
  for (const o of sorted) {
    const t = o.t ? Date.parse(o.t) : NaN;
    if (current.length > 0 && last !== null && Number.isFinite(t) && t - last > SEGMENT_GAP_MS) {
      out.push(current);
      current = [];
    }
    current.push(o);
    if (Number.isFinite(t)) last = t;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Track points and per-entity paths (in time order, broken at gaps) as GeoJSON for the map's layers. */
export function trackGeoJson(observations: Observation[], entities: string[]): { points: FeatureCollection; lines: FeatureCollection } {
  const byEntity = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byEntity.get(o.entity) ?? [];
    list.push(o);
    byEntity.set(o.entity, list);
  }
  const points: Feature[] = observations.map((o) => ({
    type: 'Feature',
    properties: { entity: o.entity, t: o.t ?? '', colour: colourOf(entities, o.entity), speed: o.speed, course: o.course },
    geometry: { type: 'Point', coordinates: [o.lon, o.lat] },
  }));
  const lines: Feature[] = [];
  for (const [entity, list] of byEntity) {
    const parts = segments([...list].sort((a, b) => (a.t ?? '').localeCompare(b.t ?? ''))).filter((p) => p.length > 1);
    if (parts.length === 0) continue;
    lines.push({ type: 'Feature', properties: { entity, colour: colourOf(entities, entity) }, geometry: { type: 'MultiLineString', coordinates: parts.map((p) => p.map((o) => [o.lon, o.lat])) } });
  }
  return { points: { type: 'FeatureCollection', features: points }, lines: { type: 'FeatureCollection', features: lines } };
}

/** [west, south, east, north] of the points, or null when there are none. */
export function boundsOf(observations: Observation[]): [number, number, number, number] | null {
  if (observations.length === 0) return null;
  let w = 180, s = 90, e = -180, n = -90;
  for (const o of observations) {
    w = Math.min(w, o.lon);
    e = Math.max(e, o.lon);
    s = Math.min(s, o.lat);
    n = Math.max(n, o.lat);
  }
  return [w, s, e, n];
}
