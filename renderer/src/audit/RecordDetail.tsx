import type { AuditRecordRow } from '../transport/types.js';
import { ExportButton } from './ExportButton.js';

interface AskPayload {
  question?: string;
  answer?: string;
  banner?: string;
  model?: unknown;
  retrieval?: unknown;
  retrieved?: { chunkId: string; score?: number }[];
  citations?: { title?: string; page?: number; quote?: string }[];
}

/** A record's provenance: for an answer its question, passages, model and citations; else the raw payload. */
export function RecordDetail({ r }: { r: AuditRecordRow }) {
  const p = (typeof r.payload === 'object' && r.payload !== null ? r.payload : {}) as AskPayload;
  if (r.action !== 'ask') return <pre className="json">{JSON.stringify(r.payload, null, 2)}</pre>;
  return (
    <div className="provenance">
      <ExportButton format="prov" answerId={r.hash} label="Export provenance (PROV-JSON)" />
      <dl className="facts">
        <dt>Question</dt>
        <dd>{p.question ?? '—'}</dd>
        <dt>Answer</dt>
        <dd>{p.answer ?? '—'}</dd>
        <dt>Banner</dt>
        <dd>{p.banner ?? '—'}</dd>
        <dt>Model</dt>
        <dd>
          <code>{JSON.stringify(p.model)}</code>
        </dd>
        <dt>Retrieval</dt>
        <dd>
          <code>{JSON.stringify(p.retrieval)}</code>
        </dd>
        <dt>Retrieved</dt>
        <dd>{p.retrieved?.length ?? 0} passage(s)</dd>
      </dl>
      {p.citations && p.citations.length > 0 && (
        <ol className="provenance__cites">
          {p.citations.map((c, i) => (
            <li key={i}>
              <strong>{c.title}</strong> p. {c.page}: “{c.quote}”
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
