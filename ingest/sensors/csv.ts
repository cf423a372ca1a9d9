import { parse } from 'csv-parse/sync';
import { CairnError } from '../../main/core/errors.js';
import { detectColumns, detectDelimiter, normalise, type CsvColumns, type SpeedUnit } from './csv-columns.js';
import { KNOT_MS } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { splitLines } from './text.js';
import { parseTime } from './time.js';
import type { ExtractedTrack } from './types.js';

/** Characters per block when a quote-free CSV is parsed in blocks. */
const CSV_BLOCK_CHARS = 4 * 1024 * 1024;
const TO_MS: Record<SpeedUnit, number> = { 'm/s': 1, kn: KNOT_MS, 'km/h': 1 / 3.6, mph: 0.44704 };
/** Entity columns whose values are names in their own right; other id columns are prefixed with their header. */
const SELF_NAMING = new Set(['mmsi', 'icao24', 'icao', 'hex', 'icaoaddress', 'callsign', 'flight', 'vesselname', 'shipname', 'name', 'imei']);

/**
 * CSV tracks: delimiter (`,` `;` tab `|`) and columns detected from the
 * header (lat/lon or X/Y, time or date+time, an id column such as mmsi,
 * icao24 or trajectory_id, optional altitude, speed and course). Rows are
 * parsed by csv-parse one at a time, never all held in memory.
 */
export function readCsv(input: string, ctx: ReaderContext): ExtractedTrack {
  const { notes, builder, opts } = ctx;
  // Old Mac files end lines with CR alone.
  const text = !input.includes('\n') && input.includes('\r') ? input.replace(/\r/g, '\n') : input;
  const firstLines = splitLines(text.slice(0, 64 * 1024));
  const headerIndex = firstLines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  const head = firstLines.slice(Math.max(0, headerIndex)).filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(0, 20);
  const delimiter = detectDelimiter(head);
  if (!delimiter || head.length === 0) {
    throw new CairnError('PARSE_FAILED', `${opts.filename}: no delimiter found in the header; a CSV track needs columns separated by , ; tab or |`, { input: opts.filename });
  }
  const headers = parse(head[0]!, { delimiter, bom: true, trim: true, relax_quotes: true })[0] as string[] | undefined;
  const cols = headers ? detectColumns(headers) : null;
  if (!headers || !cols) {
    throw new CairnError('PARSE_FAILED', `${opts.filename}: no latitude/longitude columns in the header (${(headers ?? []).join(delimiter)}); name them lat/lon, latitude/longitude or X/Y`, { input: opts.filename });
  }
  const decimalComma = delimiter !== ',';
  const num = (v: string | undefined): number | null => {
    if (v === undefined) return null;
    const s = (decimalComma ? v.replace(',', '.') : v).trim();
    if (s === '') return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  };
  const entityPrefix = cols.entityHeader !== null && !SELF_NAMING.has(normalise(cols.entityHeader)) ? `${cols.entityHeader} ` : '';
  const labelled = new Set<string>();
  let rows = 0;
  let projected = 0;

  const onRow = (r: string[]): void => {
    rows++;
    const lat = num(r[cols.lat]);
    const lon = num(r[cols.lon]);
    if (lat === null || lon === null) {
      notes.count('csv-nocoord', (n) => `${plural(n, 'row')} without numeric coordinates skipped`, r.join(delimiter));
      return;
    }
    if (cols.xy && (Math.abs(lon) > 180 || Math.abs(lat) > 90)) projected++;
    let t: string | null = null;
    if (cols.time !== null) {
      const raw = cols.date !== null ? `${r[cols.date] ?? ''} ${r[cols.time] ?? ''}` : (r[cols.time] ?? '');
      const p = parseTime(raw);
      if (p === null) notes.count('csv-time', (n) => `${plural(n, 'row')} with an unreadable time kept without a time`, raw);
      else {
        t = p.iso;
        if (p.assumedUtc) notes.warn('times without a UTC offset were read as UTC');
      }
    }
    const idValue = cols.entity === null ? '' : (r[cols.entity] ?? '').trim();
    const entity = idValue === '' ? ctx.stem : `${entityPrefix}${idValue}`;
    if (!labelled.has(entity)) {
      labelled.add(entity);
      builder.describe(entity, labelFor(entity, idValue, cols, headers, r));
    }
    const speed = cols.speed === null ? null : num(r[cols.speed]);
    const alt = cols.alt === null ? null : num(r[cols.alt]);
    builder.add({
      entity,
      t,
      lat,
      lon,
      alt: alt === null ? null : cols.altFeet ? alt * 0.3048 : alt,
      speed: speed === null ? null : speed * TO_MS[cols.speedUnit],
      course: cols.course === null ? null : num(r[cols.course]),
    });
  };

  const base = { delimiter, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true };
  const take = (record: string[]): void => {
    if (record.length === 1 && (record[0] ?? '').startsWith('#')) return;
    onRow(record);
  };
  try {
    if (!text.includes('"')) {
      // No quoting anywhere, so no record spans a line break: parse in blocks of whole lines. This
      // skips csv-parse's per-record context (on_record), about twice as fast, and holds one block at a time.
      let pos = bodyStart(text, headerIndex);
      while (pos < text.length) {
        let end = text.indexOf('\n', Math.min(text.length, pos + CSV_BLOCK_CHARS));
        end = end < 0 ? text.length : end + 1;
        for (const record of parse(text.slice(pos, end), base) as string[][]) take(record);
        pos = end;
      }
    } else {
      parse(text, { ...base, from_line: headerIndex + 2, on_record: (record: string[]) => (take(record), null) });
    }
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${opts.filename}: CSV could not be read after row ${rows}: ${e instanceof Error ? e.message : String(e)}`, { input: opts.filename, cause: e });
  }
  if (cols.xy && projected > rows / 2) {
    throw new CairnError('PARSE_FAILED', `${opts.filename}: the X/Y columns are not longitude/latitude degrees (projected coordinates?); convert them to WGS84 first`, { input: opts.filename });
  }
  if (cols.time === null) notes.warn('no time column found: observations have no time');
  if (cols.speed !== null && cols.speedUnit === 'm/s') notes.warn(`speed column "${headers[cols.speed]}" read as metres per second`);
  const name = (i: number | null): string | null => (i === null ? null : headers[i]!);
  return finishTrack(ctx, 'csv', ctx.stem, [], {
    delimiter,
    rows,
    columns: {
      lat: name(cols.lat),
      lon: name(cols.lon),
      time: cols.date !== null ? `${name(cols.date)} + ${name(cols.time)}` : name(cols.time),
      entity: name(cols.entity),
      alt: name(cols.alt),
      speed: cols.speed === null ? null : `${name(cols.speed)} (${cols.speedUnit})`,
      course: name(cols.course),
    },
  });
}

/** Offset of the first line after the header (line `headerIndex`, 0-based). */
function bodyStart(text: string, headerIndex: number): number {
  let pos = 0;
  for (let i = 0; i <= headerIndex; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

function labelFor(entity: string, idValue: string, cols: CsvColumns, headers: string[], row: string[]): string {
  const idHeader = cols.entityHeader ? normalise(cols.entityHeader) : '';
  const head = idHeader === 'mmsi' ? `MMSI ${idValue}` : idHeader.startsWith('icao') || idHeader === 'hex' ? `ICAO ${idValue}` : entity;
  const extras = cols.labels
    .map((i) => [headers[i]!.trim(), (row[i] ?? '').trim()] as const)
    .filter(([, v]) => v !== '')
    .map(([h, v]) => `${h} ${v}`);
  return extras.length ? `${head} (${extras.join(', ')})` : head;
}
