/**
 * Export operations for every transport (CLI `cairn export`, HTTP, UI):
 * sources and track observations in an area and time window as GeoJSON,
 * KML or CSV, and an answer's provenance as PROV-JSON. Each writes the
 * file whole, then records an `export` audit record with who exported
 * what, the answers involved, and the file's sha256.
 */
import { CairnError } from '../core/errors.js';
import { assertReadable, citedChunkIds, loadAnswer } from '../reports/answers.js';
import type { ProductDeps } from '../reports/deps.js';
import { GradeBook } from '../reports/grade-book.js';
import { writeProduct, type WrittenProduct } from '../reports/output.js';
import { toCsv } from './csv.js';
import { toGeoJson } from './geojson.js';
import { toKml } from './kml.js';
import { exportMeta } from './meta.js';
import { toProvJson } from './prov.js';
import { type GeoFilter, selectGeo } from './select.js';

export type GeoFormat = 'geojson' | 'kml' | 'csv';
export const GEO_FORMATS: readonly GeoFormat[] = ['geojson', 'kml', 'csv'];

export type ExportDeps = Pick<ProductDeps, 'dataDir' | 'actor' | 'policy' | 'audit' | 'sources' | 'tracks' | 'chunkMarkings'>;

export interface GeoExportResult extends WrittenProduct {
  format: GeoFormat;
  banner: string;
  observations: number;
  sources: number;
  truncated: boolean;
  auditId: string;
}

export async function exportGeo(deps: ExportDeps, opts: GeoFilter & { format: GeoFormat; out: string }): Promise<GeoExportResult> {
  if (!GEO_FORMATS.includes(opts.format)) throw new CairnError('BAD_INPUT', `unknown export format ${JSON.stringify(opts.format)}; use ${GEO_FORMATS.join(', ')} (or \`cairn export prov ANSWER_ID\`)`, { input: String(opts.format) });
  const filter: GeoFilter = { ...(opts.bbox ? { bbox: opts.bbox } : {}), ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
  const sel = await selectGeo(deps, filter);
  const meta = exportMeta(deps.actor);
  const text = opts.format === 'geojson' ? toGeoJson(sel, meta) : opts.format === 'kml' ? toKml(sel, meta) : toCsv(sel);
  const written = await writeProduct(opts.out, text);
  const record = await deps.audit.append(deps.actor, 'export', {
    format: opts.format,
    filter,
    file: written.file,
    sha256: written.sha256,
    bytes: written.bytes,
    banner: sel.banner,
    observations: sel.observations.length,
    entities: [...new Set(sel.observations.map((o) => o.entity))],
    sources: [...new Set([...sel.observations.map((o) => o.sourceId), ...sel.sources.map((s) => s.source.id)])],
    answers: [],
    truncated: sel.truncated,
    user: deps.actor,
  });
  return { ...written, format: opts.format, banner: sel.banner, observations: sel.observations.length, sources: sel.sources.length, truncated: sel.truncated, auditId: record.hash };
}

export interface ProvExportResult extends WrittenProduct {
  format: 'prov-json';
  answer: string;
  auditId: string;
}

/** The PROV-JSON document for one answer, without writing it (for the API). */
export async function answerProvenance(deps: Omit<ExportDeps, 'tracks'>, answerId: string): Promise<{ answer: string; document: Record<string, unknown> }> {
  const answer = await loadAnswer(deps.audit, answerId);
  const markings = await deps.chunkMarkings([...citedChunkIds([answer]), ...answer.payload.retrieved.map((r) => r.chunkId)]);
  assertReadable([answer], markings);
  const [sources, grades] = await Promise.all([deps.sources(), GradeBook.load(deps.dataDir)]);
  return { answer: answer.auditId, document: toProvJson(answer, { sources: new Map(sources.map((s) => [s.id, s])), markings, grades }) };
}

export async function exportProv(deps: Omit<ExportDeps, 'tracks'>, answerId: string, out: string): Promise<ProvExportResult> {
  const { answer, document } = await answerProvenance(deps, answerId);
  const written = await writeProduct(out, `${JSON.stringify(document, null, 2)}\n`);
  const record = await deps.audit.append(deps.actor, 'export', { format: 'prov-json', answers: [answer], file: written.file, sha256: written.sha256, bytes: written.bytes, user: deps.actor });
  return { ...written, format: 'prov-json', answer, auditId: record.hash };
}
