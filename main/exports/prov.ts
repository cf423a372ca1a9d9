/**
 * An answer's provenance as W3C PROV-JSON (https://www.w3.org/submissions/prov-json/):
 *
 *   entities   the answer, the question, every retrieved passage (chunk),
 *              every source those passages come from, and the audit record
 *   activity   the ask, at the time the audit log recorded it, with the
 *              retrieval settings
 *   agents     the person who asked (prov:Person) and the composer or model
 *              that wrote the answer (prov:SoftwareAgent), with its settings
 *
 * and the relations between them: the ask used the question and the
 * passages and generated the answer and the audit record; the answer was
 * derived from each cited passage by quotation; each passage from its source.
 * Everything is taken from the `ask` record, so it matches the audit log.
 */
import type { Source } from '../core/types.js';
import type { RecordedAnswer } from '../reports/answers.js';
import type { GradeBook } from '../reports/grade-book.js';
import { sha256Hex } from '../core/hash.js';

type Attrs = Record<string, unknown>;

const qn = (name: string): { $: string; type: string } => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const dateTime = (iso: string): { $: string; type: string } => ({ $: iso, type: 'xsd:dateTime' });
/** Local part of a qualified name: anything but what PROV-N would need escaped, percent-encoded. */
const local = (s: string): string => encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function scalar(v: unknown): string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
}

export interface ProvContext {
  sources: ReadonlyMap<string, Source>;
  /** Markings of the passages the exporting user may read. */
  markings: ReadonlyMap<string, string>;
  grades: GradeBook;
}

export function toProvJson(a: RecordedAnswer, ctx: ProvContext): Record<string, unknown> {
  const p = a.payload;
  const answer = `answer:${a.auditId}`;
  const ask = `ask:${a.auditId}`;
  const record = `audit:${a.auditId}`;
  const question = `question:${sha256Hex(p.question)}`;
  const user = `user:${local(p.user ?? a.actor)}`;
  const modelName = p.model ? `${p.model.id}${p.model.version ? `-v${p.model.version}` : ''}` : 'unknown';
  const model = `model:${local(modelName)}`;

  const entity: Record<string, Attrs> = {};
  const cited = new Map<string, RecordedAnswer['citations'][number][]>();
  for (const c of [...a.citations, ...a.sentences.flatMap((s) => s.citations)]) {
    const list = cited.get(c.chunkId) ?? [];
    if (!list.some((x) => x.start === c.start && x.end === c.end)) list.push(c);
    cited.set(c.chunkId, list);
  }
  entity[answer] = { 'prov:type': qn('cairn:Answer'), 'prov:label': p.answer.slice(0, 200), 'prov:value': p.answer, 'cairn:banner': p.banner, 'cairn:auditId': a.auditId, 'cairn:sentences': a.sentences.length, 'cairn:citations': a.citations.length };
  entity[question] = { 'prov:type': qn('cairn:Question'), 'prov:value': p.question };
  entity[record] = { 'prov:type': qn('cairn:AuditRecord'), 'cairn:seq': a.seq, 'cairn:hash': a.auditId, 'cairn:action': 'ask' };

  // Every retrieved passage, then any cited one the record did not list as retrieved (older records).
  const retrieved: Array<{ chunkId: string; sourceId: string; contentHash?: unknown; score?: unknown }> = [...p.retrieved];
  for (const [chunkId, list] of cited) if (!retrieved.some((r) => r.chunkId === chunkId)) retrieved.push({ chunkId, sourceId: list[0]!.sourceId });
  const sourceIds = new Set<string>();
  retrieved.forEach((r, i) => {
    sourceIds.add(r.sourceId);
    const marking = ctx.markings.get(r.chunkId);
    entity[`chunk:${r.chunkId}`] = {
      'prov:type': qn('cairn:Passage'),
      'cairn:sourceId': r.sourceId,
      ...(typeof r.contentHash === 'string' ? { 'cairn:contentHash': r.contentHash } : {}),
      ...(marking ? { 'cairn:marking': marking } : {}),
      'cairn:rank': i + 1,
      ...(typeof r.score === 'number' ? { 'cairn:score': r.score } : {}),
      'cairn:cited': cited.has(r.chunkId),
    };
  });
  for (const c of cited.values()) sourceIds.add(c[0]!.sourceId);
  for (const id of sourceIds) {
    const s = ctx.sources.get(id);
    const grade = ctx.grades.of(id, s);
    entity[`source:${id}`] = {
      'prov:type': qn('cairn:Source'),
      'prov:label': s?.title ?? [...cited.values()].flat().find((c) => c.sourceId === id)?.title ?? id,
      'cairn:sha256': id,
      ...(s ? { 'cairn:kind': s.kind, 'cairn:origin': s.origin, 'cairn:marking': s.marking, 'cairn:ingestedAt': dateTime(s.ingestedAt) } : {}),
      ...(grade ? { 'cairn:grade': grade.code } : {}),
    };
  }

  const retrievalAttrs: Attrs = {};
  for (const [k, v] of Object.entries(p.retrieval ?? {})) retrievalAttrs[`cairn:retrieval_${k}`] = scalar(v);
  const modelAttrs: Attrs = {};
  for (const [k, v] of Object.entries(p.model?.parameters ?? {})) modelAttrs[`cairn:param_${k}`] = scalar(v);

  let n = 0;
  const id = (): string => `_:r${++n}`;
  const used: Record<string, Attrs> = { [id()]: { 'prov:activity': ask, 'prov:entity': question, 'prov:role': qn('cairn:question') } };
  for (const r of retrieved) used[id()] = { 'prov:activity': ask, 'prov:entity': `chunk:${r.chunkId}`, 'prov:role': qn(cited.has(r.chunkId) ? 'cairn:cited' : 'cairn:retrieved') };
  const wasDerivedFrom: Record<string, Attrs> = {};
  for (const [chunkId, list] of cited) {
    for (const c of list) {
      wasDerivedFrom[id()] = {
        'prov:generatedEntity': answer,
        'prov:usedEntity': `chunk:${chunkId}`,
        'prov:activity': ask,
        'prov:type': qn('prov:Quotation'),
        'cairn:quote': c.quote,
        'cairn:page': c.page,
        'cairn:start': c.start,
        'cairn:end': c.end,
        ...(c.locator ? { 'cairn:locator': JSON.stringify(c.locator) } : {}),
      };
    }
  }
  for (const r of retrieved) wasDerivedFrom[id()] = { 'prov:generatedEntity': `chunk:${r.chunkId}`, 'prov:usedEntity': `source:${r.sourceId}` };

  return {
    prefix: { cairn: 'urn:cairn:', answer: 'urn:cairn:answer:', ask: 'urn:cairn:ask:', audit: 'urn:cairn:audit:', question: 'urn:cairn:question:', chunk: 'urn:cairn:chunk:', source: 'urn:cairn:source:', user: 'urn:cairn:user:', model: 'urn:cairn:model:' },
    entity,
    activity: { [ask]: { 'prov:startTime': a.ts, 'prov:endTime': a.ts, 'prov:type': qn('cairn:Ask'), 'cairn:auditSeq': a.seq, ...retrievalAttrs, ...(p.promptHash ? { 'cairn:promptHash': p.promptHash } : {}) } },
    agent: {
      [user]: { 'prov:type': qn('prov:Person'), 'prov:label': p.user ?? a.actor, ...(p.clearance !== undefined ? { 'cairn:clearance': scalar(p.clearance) } : {}) },
      [model]: { 'prov:type': qn('prov:SoftwareAgent'), 'prov:label': modelName, 'cairn:modelId': p.model?.id ?? 'unknown', ...(p.model?.version ? { 'cairn:modelVersion': p.model.version } : {}), ...modelAttrs },
    },
    used,
    wasGeneratedBy: {
      [id()]: { 'prov:entity': answer, 'prov:activity': ask, 'prov:time': a.ts },
      [id()]: { 'prov:entity': record, 'prov:activity': ask, 'prov:time': a.ts },
    },
    wasAssociatedWith: {
      [id()]: { 'prov:activity': ask, 'prov:agent': user, 'prov:role': qn('cairn:asker') },
      [id()]: { 'prov:activity': ask, 'prov:agent': model, 'prov:role': qn('cairn:composer') },
    },
    actedOnBehalfOf: { [id()]: { 'prov:delegate': model, 'prov:responsible': user, 'prov:activity': ask } },
    wasAttributedTo: { [id()]: { 'prov:entity': answer, 'prov:agent': model } },
    wasDerivedFrom,
  };
}
