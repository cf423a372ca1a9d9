/**
 * KML 2.2. Observations are Placemarks with a Point, a TimeStamp (so Google
 * Earth's time slider plays them) and typed ExtendedData (entity, speed,
 * course, marking, provenance); Cairn's KML reader turns a timed Point that
 * names its entity back into an observation, so a re-ingest gives the same
 * points. Each entity's path is drawn as an untimed LineString (a picture,
 * not more observations), and sources as footprint polygons. The banner is
 * in the document's name and description.
 */
import type { ExportMeta } from './meta.js';
import { xmlEscape as x } from './meta.js';
import type { ExportObservation, FeatureProvenance, GeoSelection } from './select.js';

const PROVENANCE_FIELDS: Array<[keyof FeatureProvenance, string]> = [
  ['marking', 'Classification marking'],
  ['portion', 'Portion marking'],
  ['sourceId', 'Source sha256'],
  ['sourceTitle', 'Source title'],
  ['sourceKind', 'Source kind'],
  ['sourceOrigin', 'Source origin'],
  ['ingestedAt', 'Ingested at'],
  ['grade', 'Source grade (Admiralty)'],
];

function schema(id: string, fields: Array<[string, string, string]>): string {
  return `<Schema name="${id}" id="${id}">${fields.map(([name, type, label]) => `<SimpleField name="${name}" type="${type}"><displayName>${x(label)}</displayName></SimpleField>`).join('')}</Schema>`;
}

function simpleData(values: Array<[string, string | number | null | undefined]>): string {
  return values
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<SimpleData name="${k}">${x(String(v))}</SimpleData>`)
    .join('');
}

function provenanceData(p: FeatureProvenance): Array<[string, string | null]> {
  return PROVENANCE_FIELDS.map(([k]) => [k, p[k]]);
}

function coord(lon: number, lat: number, alt: number | null): string {
  return alt === null ? `${lon},${lat}` : `${lon},${lat},${alt}`;
}

function observationPlacemark(o: ExportObservation): string {
  const data = simpleData([['entity', o.entity], ['speed', o.speed], ['course', o.course], ...provenanceData(o.provenance)]);
  const when = o.t ? `<TimeStamp><when>${x(o.t)}</when></TimeStamp>` : '';
  const altMode = o.alt === null ? '' : '<altitudeMode>absolute</altitudeMode>';
  return `<Placemark><name>${x(o.entity)}</name>${when}<styleUrl>#observation</styleUrl><ExtendedData><SchemaData schemaUrl="#cairn_observation">${data}</SchemaData></ExtendedData><Point>${altMode}<coordinates>${coord(o.lon, o.lat, o.alt)}</coordinates></Point></Placemark>`;
}

/** One untimed line per entity and source, in time order: a path to look at. */
function paths(observations: readonly ExportObservation[]): string[] {
  const groups = new Map<string, ExportObservation[]>();
  for (const o of observations) {
    const key = `${o.sourceId}\u0000${o.entity}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const out: string[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const first = list[0]!;
    const ordered = [...list].sort((a, b) => (a.t ?? '').localeCompare(b.t ?? ''));
    const data = simpleData([['track', first.entity], ['points', list.length], ...provenanceData(first.provenance)]);
    out.push(
      `<Placemark><name>${x(first.entity)} path</name><styleUrl>#path</styleUrl><ExtendedData><SchemaData schemaUrl="#cairn_path">${data}</SchemaData></ExtendedData><LineString><tessellate>1</tessellate><coordinates>${ordered.map((o) => coord(o.lon, o.lat, null)).join(' ')}</coordinates></LineString></Placemark>`,
    );
  }
  return out;
}

function sourcePlacemarks(sel: GeoSelection): string[] {
  return sel.sources.map(({ source: s, provenance }) => {
    const g = s.geo!;
    const data = simpleData([['title', s.title], ['start', s.t0 ?? null], ['end', s.t1 ?? null], ...provenanceData(provenance)]);
    const geometry =
      g.west === g.east && g.south === g.north
        ? `<Point><coordinates>${g.west},${g.south}</coordinates></Point>`
        : `<Polygon><outerBoundaryIs><LinearRing><coordinates>${[[g.west, g.south], [g.east, g.south], [g.east, g.north], [g.west, g.north], [g.west, g.south]].map(([lon, lat]) => `${lon},${lat}`).join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon>`;
    return `<Placemark><name>${x(`${provenance.portion} ${s.title}`)}</name><styleUrl>#source</styleUrl><ExtendedData><SchemaData schemaUrl="#cairn_source">${data}</SchemaData></ExtendedData>${geometry}</Placemark>`;
  });
}

export function toKml(sel: GeoSelection, meta: ExportMeta): string {
  const prov: Array<[string, string, string]> = PROVENANCE_FIELDS.map(([k, label]) => [k, 'string', label]);
  const description = `${sel.banner}. Exported by ${meta.exportedBy} at ${meta.exportedAt}; ${sel.observations.length} observation(s), ${sel.sources.length} source(s)${sel.truncated ? ' (truncated at the export limit)' : ''}. Filter: ${JSON.stringify(sel.filter)}. Each placemark carries its own marking; the banner is their roll-up.`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '<Document>',
    `<name>${x(`${sel.banner} ${meta.name}`)}</name>`,
    `<description>${x(description)}</description>`,
    '<Style id="observation"><IconStyle><scale>0.6</scale></IconStyle><LabelStyle><scale>0</scale></LabelStyle></Style>',
    '<Style id="path"><LineStyle><color>ff00a5ff</color><width>2</width></LineStyle></Style>',
    '<Style id="source"><LineStyle><color>ffff0000</color><width>1.5</width></LineStyle><PolyStyle><color>33ff0000</color></PolyStyle></Style>',
    schema('cairn_observation', [['entity', 'string', 'Entity'], ['speed', 'double', 'Speed (m/s)'], ['course', 'double', 'Course (degrees true)'], ...prov]),
    schema('cairn_path', [['track', 'string', 'Entity'], ['points', 'int', 'Points'], ...prov]),
    schema('cairn_source', [['title', 'string', 'Title'], ['start', 'string', 'Start'], ['end', 'string', 'End'], ...prov]),
    `<Folder><name>Observations</name>`,
    ...sel.observations.map(observationPlacemark),
    '</Folder>',
    `<Folder><name>Paths</name>`,
    ...paths(sel.observations),
    '</Folder>',
    `<Folder><name>Sources</name>`,
    ...sourcePlacemarks(sel),
    '</Folder>',
    '</Document>',
    '</kml>',
    '',
  ];
  return lines.join('\n');
}
