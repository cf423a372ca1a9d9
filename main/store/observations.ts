import type * as lancedb from '@lancedb/lancedb';
import { CairnError } from '../core/errors.js';
import type { Observation, SpaceTimeFilter } from '../core/types.js';

const COLUMNS = ['sourceId', 'entity', 't', 'lat', 'lon', 'alt', 'speed', 'course', 'marking'];

function toRow(o: Observation): Record<string, unknown> {
  const t = o.t ? Date.parse(o.t) : NaN;
  return { ...o, t: Number.isFinite(t) ? t : null };
}

function fromRow(r: Record<string, unknown>): Observation {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    sourceId: String(r.sourceId),
    entity: String(r.entity),
    t: r.t === null || r.t === undefined ? null : new Date(Number(r.t)).toISOString(),
    lat: Number(r.lat),
    lon: Number(r.lon),
    alt: num(r.alt),
    speed: num(r.speed),
    course: num(r.course),
    marking: String(r.marking),
  };
}

function finite(n: number, what: string): number {
  if (!Number.isFinite(n)) throw new CairnError('BAD_INPUT', `${what} must be a number, got ${n}`);
  return n;
}

function timeBound(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new CairnError('BAD_INPUT', `${what} is not a date/time: ${JSON.stringify(iso)} (use ISO 8601, e.g. 2031-03-14T06:00Z)`, { input: iso });
  return ms;
}

/** SQL for an area/time filter over columns lat/lon/t; values are validated numbers, never raw text. */
export function observationWhere(f: SpaceTimeFilter): string {
  const parts: string[] = [];
  if (f.bbox) {
    const { west, south, east, north } = f.bbox;
    parts.push(`lat >= ${finite(south, 'south')} AND lat <= ${finite(north, 'north')}`);
    // A box across the antimeridian has west > east.
    parts.push(west <= east ? `lon >= ${finite(west, 'west')} AND lon <= ${finite(east, 'east')}` : `(lon >= ${finite(west, 'west')} OR lon <= ${finite(east, 'east')})`);
  }
  if (f.from) parts.push(`t >= ${timeBound(f.from, 'from')}`);
  if (f.to) parts.push(`t <= ${timeBound(f.to, 'to')}`);
  if (f.entity) parts.push(`entity = '${f.entity.replace(/'/g, "''")}'`);
  return parts.join(' AND ');
}

/** The observations table: written with its source, read by area and time. */
export class ObservationTable {
  constructor(private readonly table: lancedb.Table) {}

  async add(rows: readonly Observation[]): Promise<void> {
    // Large feeds are written in slices to bound memory; all before the source row.
    for (let i = 0; i < rows.length; i += 50_000) await this.table.add(rows.slice(i, i + 50_000).map(toRow));
  }

  async deleteSource(sourceId: string): Promise<void> {
    await this.table.delete(`sourceId = '${sourceId}'`);
  }

  async sourceIds(): Promise<Set<string>> {
    return new Set((await this.table.query().select(['sourceId']).toArray()).map((r) => String(r.sourceId)));
  }

  async query(filter: SpaceTimeFilter, limit: number, visibleSources: ReadonlySet<string>, markingWhere: string | null = null): Promise<Observation[]> {
    const where = [observationWhere(filter), markingWhere].filter((x) => x).map((x) => `(${x})`).join(' AND ');
    let q = this.table.query().select(COLUMNS);
    if (where) q = q.where(where);
    const rows = await q.limit(limit).toArray();
    return rows
      .map((r) => fromRow(r as Record<string, unknown>))
      .filter((o) => visibleSources.has(o.sourceId))
      .sort((a, b) => a.entity.localeCompare(b.entity) || (a.t ?? '').localeCompare(b.t ?? ''));
  }

  async markings(): Promise<Set<string>> {
    return new Set((await this.table.query().select(['marking']).toArray()).map((r) => String(r.marking)));
  }

  async optimize(): Promise<void> {
    await this.table.optimize();
  }
}
