import proj4 from 'proj4';
import type { GeoBBox } from './types.js';

const EARTH_RADIUS_M = 6_371_008.8;
export const KNOT_MS = 1852 / 3600;

/** Great-circle distance in metres. */
export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function validLatLon(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

export function bboxOf(points: Iterable<{ lat: number; lon: number }>): GeoBBox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of points) {
    if (p.lon < w) w = p.lon;
    if (p.lon > e) e = p.lon;
    if (p.lat < s) s = p.lat;
    if (p.lat > n) n = p.lat;
  }
  return w === Infinity ? null : [w, s, e, n];
}

/** MGRS at 1 m precision, or null where MGRS is undefined (polar caps). */
export function toMgrs(lat: number, lon: number): string | null {
  if (lat < -80 || lat > 84) return null;
  try {
    return proj4.mgrs.forward([lon, lat]);
  } catch {
    return null;
  }
}

/** `38.92747N 77.02016W` — hemisphere letters so both "38.927" and "N" match a text search. */
export function latLonText(lat: number, lon: number): string {
  const la = `${Math.abs(lat).toFixed(5)}${lat < 0 ? 'S' : 'N'}`;
  const lo = `${Math.abs(lon).toFixed(5)}${lon < 0 ? 'W' : 'E'}`;
  return `${la} ${lo}`;
}

/** `38.92747N 77.02016W (MGRS 18SUJ2338907785)`. */
export function placeText(lat: number, lon: number): string {
  const m = toMgrs(lat, lon);
  return m === null ? latLonText(lat, lon) : `${latLonText(lat, lon)} (MGRS ${m})`;
}

/** Course normalised to [0, 360), or null. */
export function normCourse(c: number | null | undefined): number | null {
  if (c === null || c === undefined || !Number.isFinite(c)) return null;
  const v = ((c % 360) + 360) % 360;
  return v;
}
