import { useState } from 'react';
import { formatBytes, formatTime } from '../common/format.js';
import type { SourceRow } from '../transport/types.js';
import { qualityNotes } from './quality.js';

export function SourceRowView({ s }: { s: SourceRow }) {
  const [open, setOpen] = useState(false);
  const notes = qualityNotes(s.metadata);
  const hasMeta = s.metadata !== undefined && Object.keys(s.metadata).length > 0;
  return (
    <>
      <tr>
        <td>
          <span className={`kind kind--${s.kind}`}>{s.kind}</span>
        </td>
        <th scope="row" className="cell--title" title={s.origin}>
          {s.title}
        </th>
        <td>{s.marking ?? '—'}</td>
        <td className="cell--mono">{s.mime ?? '—'}</td>
        <td className="cell--num">{formatBytes(s.bytes)}</td>
        <td className="cell--mono">{formatTime(s.ingestedAt)}</td>
        <td>{notes.join(' · ') || '—'}</td>
        <td>
          {hasMeta && (
            <button type="button" className="btn btn--small" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide' : 'Details'}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="row--details">
          <td colSpan={8}>
            <pre>{JSON.stringify({ id: s.id, origin: s.origin, t0: s.t0, t1: s.t1, metadata: s.metadata }, null, 2)}</pre>
          </td>
        </tr>
      )}
    </>
  );
}
