import type { IngestSummary } from '../../ingest/pipeline.js';
import type { Source } from '../core/types.js';
import type { AnswerOutput, SearchOutput } from '../api/contract.js';

/** Human-readable renderings for the terminal; `--json` bypasses these. */

const oneLine = (s: string, max = 160): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export function formatAnswer(a: AnswerOutput): string {
  const lines = [a.banner, ''];
  const index = new Map(a.citations.map((c, i) => [`${c.chunkId}:${c.start}:${c.end}`, i + 1]));
  if (a.sentences.length === 0) lines.push(a.answer);
  for (const s of a.sentences) {
    const refs = s.citations.map((c) => `[${index.get(`${c.chunkId}:${c.start}:${c.end}`)}]`).join('');
    lines.push(`${s.text} ${refs}`);
  }
  if (a.citations.length > 0) {
    lines.push('', 'Sources:');
    a.citations.forEach((c, i) => lines.push(`  [${i + 1}] ${c.title}, p. ${c.page}, chars ${c.start}-${c.end}: "${oneLine(c.quote, 200)}"`));
  }
  lines.push('', `audit ${a.auditId}`);
  if (a.conversationId) lines.push(`conversation ${a.conversationId} (follow up with --conversation ${a.conversationId})`);
  lines.push(a.banner);
  return lines.join('\n');
}

export function formatSearch(r: SearchOutput): string {
  if (r.hits.length === 0) return `no results for "${r.query}"`;
  return r.hits
    .map((h) => `${String(h.rank).padStart(3)}. ${h.title} (p. ${h.locator.page}, ${h.locator.start}-${h.locator.end}) score ${h.score.toFixed(4)}\n     ${oneLine(h.text)}`)
    .join('\n');
}

export function formatIngest(s: IngestSummary): string {
  const lines: string[] = [];
  const walk = (r: IngestSummary['files'][number], indent: string): void => {
    const detail = r.status === 'failed' ? `${r.error?.code}: ${r.error?.message}` : `${r.title ?? ''}${r.chunks !== undefined ? ` (${r.chunks} chunks)` : ''}`;
    lines.push(`${indent}${r.status.padEnd(8)} ${r.file}  ${detail}`);
    for (const a of r.attachments ?? []) walk(a, `${indent}  `);
  };
  for (const r of s.files) walk(r, '');
  lines.push(`ingested ${s.ingested}, already present ${s.exists}, failed ${s.failed}`);
  return lines.join('\n');
}

/** OCR quality, track size or page count: what an analyst checks before trusting a source. */
function quality(s: Source): string {
  const m = s.metadata;
  const ocr = m.ocr as { meanConfidence?: number; lowConfidenceShare?: number; words?: number } | null | undefined;
  if (ocr && typeof ocr.meanConfidence === 'number' && (ocr.words ?? 0) > 0) {
    return `OCR ${ocr.words ?? 0} words, mean confidence ${ocr.meanConfidence.toFixed(0)}, ${((ocr.lowConfidenceShare ?? 0) * 100).toFixed(0)}% low`;
  }
  if (typeof m.observations === 'number') return `${m.observations} points`;
  if (typeof m.pages === 'number') return `${m.pages} p.`;
  return '';
}

export function formatSources(sources: readonly Source[]): string {
  if (sources.length === 0) return 'no sources yet: add some with `cairn ingest PATH`';
  return sources
    .map((s) => {
      const q = quality(s);
      return `${s.id.slice(0, 12)}  ${s.kind.padEnd(8)} ${s.marking.padEnd(14)} ${s.mime.padEnd(28)} ${s.title}${q ? `  [${q}]` : ''}${s.parentId ? `  (attachment of ${s.parentId.slice(0, 12)})` : ''}`;
    })
    .join('\n');
}
