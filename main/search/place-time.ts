import proj4 from 'proj4';
import { CairnError } from '../core/errors.js';
import type { GeoBounds, SourceKind } from '../core/types.js';

/** Place, time and kind limits on a search; each part optional. */
export interface PlaceTimeFilter {
  near?: { lat: number; lon: number; radiusKm: number };
  /** ISO 8601; passages whose time span overlaps [from, to]. */
  from?: string;
  to?: string;
  kinds?: SourceKind[];
  /** Only passages of these sources (e.g. those graded well enough). */
  sourceIds?: readonly string[];
}

const KM_PER_DEGREE = 111.32;

/** "LAT,LON" in decimal degrees or an MGRS reference ("33SVV5650072194"). */
export function parsePlace(text: string): { lat: number; lon: number } {
  const t = text.trim();
  const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(t);
  if (m) {
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon };
  } else if (/^\d{1,2}[C-HJ-NP-X]\s*[A-HJ-NP-Z]{2}\s*(\d\s*){0,10}$/i.test(t)) {
    try {
      const [lon, lat] = proj4.mgrs.toPoint(t.replace(/\s+/g, '').toUpperCase());
      if (Number.isFinite(lat) && Number.isFinite(lon)) return { lat: lat as number, lon: lon as number };
    } catch {
      // fall through to the error below
    }
  }
  throw new CairnError('BAD_INPUT', `not a place: ${JSON.stringify(text)}; give LAT,LON in degrees (e.g. 36.91,-76.33) or an MGRS reference (e.g. 18SVF0000060000)`, { input: text });
}

/** The box around a circle: the store filters on it, then distances are checked exactly. */
export function boxAround(lat: number, lon: number, radiusKm: number): GeoBounds {
  const dLat = radiusKm / KM_PER_DEGREE;
  const dLon = radiusKm / (KM_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return { west: Math.max(-180, lon - dLon), south: Math.max(-90, lat - dLat), east: Math.min(180, lon + dLon), north: Math.min(90, lat + dLat) };
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = (d: number): number => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Shortest distance from a point to a box (0 inside it), so an area source counts when any part is in range. */
export function distanceToBoxKm(p: { lat: number; lon: number }, b: GeoBounds): number {
  const lat = Math.min(Math.max(p.lat, b.south), b.north);
  const lon = Math.min(Math.max(p.lon, b.west), b.east);
  return distanceKm(p, { lat, lon });
}

function timeMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new CairnError('BAD_INPUT', `${what} is not a date/time: ${JSON.stringify(iso)} (use ISO 8601, e.g. 2031-03-14T06:00Z)`, { input: iso });
  return ms;
}

/**
 * SQL over the chunk columns t0/t1 (epoch ms) and west/south/east/north:
 * passages whose span overlaps the window and whose area overlaps the box.
 * Passages with no time or place never match a time or place filter.
 */
export function placeTimeWhere(f: PlaceTimeFilter): string | null {
  const parts: string[] = [];
  if (f.from) parts.push(`t1 >= ${timeMs(f.from, '--from')}`);
  if (f.to) parts.push(`t0 <= ${timeMs(f.to, '--to')}`);
  if (f.near) {
    const b = boxAround(f.near.lat, f.near.lon, f.near.radiusKm);
    parts.push(`east >= ${b.west} AND west <= ${b.east} AND north >= ${b.south} AND south <= ${b.north}`);
  }
  return parts.length ? parts.join(' AND ') : null;
}
