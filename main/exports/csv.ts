/**
 * CSV (RFC 4180): one row per observation, columns named the way Cairn's
 * CSV track reader finds them (`name` for the entity, taken verbatim;
 * `time`; `lat`/`lon`; `alt_m`; `speed_ms` in m/s; `course`), then the
 * marking and provenance columns. A CSV holds points only: sources are in
 * the GeoJSON and KML exports.
 */
import type { GeoSelection } from './select.js';

export const CSV_COLUMNS = ['name', 'time', 'lat', 'lon', 'alt_m', 'speed_ms', 'course', 'marking', 'portion', 'source_id', 'source_title', 'source_kind', 'source_origin', 'ingested_at', 'source_grade'] as const;

/** Quoted when it holds a delimiter, quote or line break; a leading =, @, or a + or - not starting a number, is defused so a spreadsheet never runs it. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^(?:[=@\t\r]|[+-](?![\d.]))/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(sel: GeoSelection): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const o of sel.observations) {
    const p = o.provenance;
    rows.push([o.entity, o.t, o.lat, o.lon, o.alt, o.speed, o.course, p.marking, p.portion, p.sourceId, p.sourceTitle, p.sourceKind, p.sourceOrigin, p.ingestedAt, p.grade].map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
