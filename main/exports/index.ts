/**
 * main/exports: field formats. Sources and track observations in an area
 * and time window as GeoJSON, KML and CSV (each feature marked, with its
 * source's provenance and grade; each file re-ingests to the same
 * observations), and an answer's provenance as W3C PROV-JSON.
 */
export { CSV_COLUMNS, toCsv } from './csv.js';
export { footprint, toGeoJson } from './geojson.js';
export { toKml } from './kml.js';
export { exportMeta, type ExportMeta } from './meta.js';
export { answerProvenance, type ExportDeps, exportGeo, exportProv, GEO_FORMATS, type GeoExportResult, type GeoFormat, type ProvExportResult } from './operations.js';
export { type ProvContext, toProvJson } from './prov.js';
export { EXPORT_LIMIT, type ExportObservation, type ExportSource, type FeatureProvenance, type GeoFilter, type GeoSelection, parseBbox, selectGeo } from './select.js';
