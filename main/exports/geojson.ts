/**
 * GeoJSON (RFC 7946, WGS84 lon/lat). Each observation is a Point whose
 * properties name its entity and time (`entity`, `time`), which is how
 * Cairn's GeoJSON reader recognises a timed, identified point, so
 * re-ingesting the file gives back the same observations (speed and
 * course too). Sources are their footprint polygons. Every feature carries
 * its marking and provenance; the collection carries the overall banner.
 */
import type { GeoBounds } from '../core/types.js';
import type { ExportMeta } from './meta.js';
import type { FeatureProvenance, GeoSelection } from './select.js';

type Position = number[];

function provenanceProps(p: FeatureProvenance): Record<string, unknown> {
  return {
    marking: p.marking,
    portion: p.portion,
    sourceId: p.sourceId,
    sourceTitle: p.sourceTitle,
    sourceKind: p.sourceKind,
    sourceOrigin: p.sourceOrigin,
    ingestedAt: p.ingestedAt,
    grade: p.grade,
  };
}

/** A footprint: a closed ring, or a point when the box has no area. */
export function footprint(g: GeoBounds): { type: 'Polygon'; coordinates: Position[][] } | { type: 'Point'; coordinates: Position } {
  if (g.west === g.east && g.south === g.north) return { type: 'Point', coordinates: [g.west, g.south] };
  const ring = [
    [g.west, g.south],
    [g.east, g.south],
    [g.east, g.north],
    [g.west, g.north],
    [g.west, g.south],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

export function toGeoJson(sel: GeoSelection, meta: ExportMeta): string {
  const features: unknown[] = [];
  sel.observations.forEach((o, i) => {
    features.push({
      type: 'Feature',
      id: `observation-${i + 1}`,
      geometry: { type: 'Point', coordinates: o.alt === null ? [o.lon, o.lat] : [o.lon, o.lat, o.alt] },
      properties: { layer: 'observations', entity: o.entity, time: o.t, speed: o.speed, course: o.course, ...provenanceProps(o.provenance) },
    });
  });
  for (const { source, provenance } of sel.sources) {
    features.push({
      type: 'Feature',
      id: `source-${source.id}`,
      geometry: footprint(source.geo!),
      properties: { layer: 'sources', title: source.title, start: source.t0 ?? null, end: source.t1 ?? null, packageId: source.packageId || null, ...provenanceProps(provenance) },
    });
  }
  const doc = {
    type: 'FeatureCollection',
    name: meta.name,
    // A foreign member (RFC 7946 section 6.1): GIS tools keep it, readers may ignore it.
    cairn: {
      banner: sel.banner,
      exportedAt: meta.exportedAt,
      exportedBy: meta.exportedBy,
      filter: sel.filter,
      observations: sel.observations.length,
      sources: sel.sources.length,
      truncated: sel.truncated,
      note: 'each feature carries its own marking; the banner is their roll-up',
    },
    features,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}
