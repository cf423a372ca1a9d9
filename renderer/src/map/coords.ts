/** Cursor position readouts: decimal degrees, degrees-minutes-seconds and MGRS (proj4's bundled mgrs). */
import proj4 from 'proj4';

export function formatLatLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(5)}°${lat >= 0 ? 'N' : 'S'} ${Math.abs(lon).toFixed(5)}°${lon >= 0 ? 'E' : 'W'}`;
}

function dms(v: number, pos: string, neg: string): string {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = (a - d - m / 60) * 3600;
  return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(1).padStart(4, '0')}″${v >= 0 ? pos : neg}`;
}

export function formatDms(lat: number, lon: number): string {
  return `${dms(lat, 'N', 'S')} ${dms(lon, 'E', 'W')}`;
}

/** 1 m MGRS, spaced for reading (`33T VG 12345 67890`); null outside MGRS's UTM latitudes. */
export function formatMgrs(lat: number, lon: number): string | null {
  if (lat < -80 || lat > 84) return null;
  try {
    const m = proj4.mgrs.forward([((((lon + 180) % 360) + 360) % 360) - 180, lat]);
    const g = /^(\d{1,2}[C-X])([A-Z]{2})(\d{5})(\d{5})$/.exec(m);
    return g ? `${g[1]} ${g[2]} ${g[3]} ${g[4]}` : m;
  } catch {
    return null;
  }
}
