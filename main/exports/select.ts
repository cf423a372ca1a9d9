/**
 * What goes into a geographic export: the track observations in an area and
 * time window (through Cairn's own clearance-filtered tracks query), the
 * geolocated sources that overlap them, each with its marking, its source's
 * provenance and grade, and the banner that covers the whole file.
 */
import { formatBanner, formatPortion, type Marking, parseMarking, rollUp } from '../access/index.js';
import { CairnError } from '../core/errors.js';
import type { GeoBounds, Observation, Source } from '../core/types.js';
import type { ProductDeps } from '../reports/deps.js';
import { GradeBook } from '../reports/grade-book.js';

export interface GeoFilter {
  bbox?: GeoBounds;
  /** ISO 8601, inclusive. */
  from?: string;
  to?: string;
}

/** Provenance carried by every exported feature or row. */
export interface FeatureProvenance {
  marking: string;
  portion: string;
  sourceId: string;
  sourceTitle: string;
  sourceKind: string;
  sourceOrigin: string;
  ingestedAt: string;
  grade: string | null;
}

export interface ExportObservation extends Observation {
  provenance: FeatureProvenance;
}

export interface ExportSource {
  source: Source;
  provenance: FeatureProvenance;
}

export interface GeoSelection {
  filter: GeoFilter;
  observations: ExportObservation[];
  sources: ExportSource[];
  /** Roll-up of every exported marking. */
  banner: string;
  /** True when the query hit its limit (more points exist). */
  truncated: boolean;
}

/** Export ceiling; the tracks query's own maximum. */
export const EXPORT_LIMIT = 1_000_000;

export type SelectDeps = Pick<ProductDeps, 'dataDir' | 'policy' | 'sources' | 'tracks'>;

/** `W,S,E,N` in degrees. */
export function parseBbox(text: string): GeoBounds {
  const n = text.split(',').map((x) => Number(x.trim()));
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) {
    throw new CairnError('BAD_INPUT', `--bbox needs four numbers west,south,east,north in degrees, got ${JSON.stringify(text)}`, { input: text });
  }
  const [west, south, east, north] = n as [number, number, number, number];
  if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90 || south > north) {
    throw new CairnError('BAD_INPUT', `--bbox ${text} is not an area: longitudes within ±180, latitudes within ±90, south <= north`, { input: text });
  }
  return { west, south, east, north };
}

function checkTime(t: string | undefined, what: string): void {
  if (t !== undefined && !Number.isFinite(Date.parse(t))) {
    throw new CairnError('BAD_INPUT', `--${what} is not a date/time: ${JSON.stringify(t)} (use ISO 8601, e.g. 2031-03-14T06:00Z)`, { input: t });
  }
}

function lonOverlaps(b: GeoBounds, g: GeoBounds): boolean {
  // Either box may cross the antimeridian (west > east): compare as intervals on the circle.
  const spans = (x: GeoBounds): Array<[number, number]> => (x.west <= x.east ? [[x.west, x.east]] : [[x.west, 180], [-180, x.east]]);
  return spans(b).some(([a0, a1]) => spans(g).some(([b0, b1]) => a0 <= b1 && b0 <= a1));
}

function inWindow(s: Source, f: GeoFilter): boolean {
  if (!f.from && !f.to) return true;
  if (!s.t0 && !s.t1) return false;
  const t0 = Date.parse(s.t0 ?? s.t1!);
  const t1 = Date.parse(s.t1 ?? s.t0!);
  return (!f.from || t1 >= Date.parse(f.from)) && (!f.to || t0 <= Date.parse(f.to));
}

export async function selectGeo(deps: SelectDeps, filter: GeoFilter): Promise<GeoSelection> {
  checkTime(filter.from, 'from');
  checkTime(filter.to, 'to');
  const [{ observations }, sources, grades] = await Promise.all([
    deps.tracks({ bbox: filter.bbox, from: filter.from, to: filter.to, limit: EXPORT_LIMIT }),
    deps.sources(),
    GradeBook.load(deps.dataDir),
  ]);
  const byId = new Map(sources.map((s) => [s.id, s]));
  const markings: Marking[] = [];
  const cache = new Map<string, Marking>();
  const marking = (m: string): Marking => {
    let p = cache.get(m);
    if (!p) cache.set(m, (p = parseMarking(m, deps.policy)));
    markings.push(p);
    return p;
  };
  const provenance = (sourceId: string, m: string): FeatureProvenance => {
    const s = byId.get(sourceId);
    return {
      marking: formatBanner(marking(m)),
      portion: formatPortion(marking(m)),
      sourceId,
      sourceTitle: s?.title ?? '',
      sourceKind: s?.kind ?? '',
      sourceOrigin: s?.origin ?? '',
      ingestedAt: s?.ingestedAt ?? '',
      grade: grades.of(sourceId, s)?.code ?? null,
    };
  };
  const obs = observations.map((o) => ({ ...o, provenance: provenance(o.sourceId, o.marking) }));
  const placed = sources.filter((s) => s.geo && (!filter.bbox || (lonOverlaps(filter.bbox, s.geo) && s.geo.south <= filter.bbox.north && s.geo.north >= filter.bbox.south)) && inWindow(s, filter));
  const src = placed.map((s) => ({ source: s, provenance: provenance(s.id, s.marking) }));
  return {
    filter,
    observations: obs,
    sources: src,
    banner: formatBanner(rollUp(markings, deps.policy)),
    truncated: observations.length >= EXPORT_LIMIT,
  };
}
