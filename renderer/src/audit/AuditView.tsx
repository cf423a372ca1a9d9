import { Fragment, useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime, shortHash } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import { useCall } from '../common/useCall.js';
import type { AuditRecordRow } from '../transport/types.js';
import { RecordDetail } from './RecordDetail.js';
import { ExportButton } from './ExportButton.js';
import { VerifyStatus } from './VerifyStatus.js';

function summary(r: AuditRecordRow): string {
  const p = (typeof r.payload === 'object' && r.payload !== null ? r.payload : {}) as Record<string, unknown>;
  if (typeof p.question === 'string') return p.question;
  if (typeof p.title === 'string') return p.title;
  if (typeof p.origin === 'string') return p.origin;
  return '';
}

/** For reviewers: the audit log, newest first, filterable, each record opening its provenance. */
export function AuditView() {
  const client = useClient();
  const [state, reload] = useCall(() => client.auditRecords());
  const [filter, setFilter] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [openSeq, setOpenSeq] = useState<number | null>(null);
  const f = filter.trim().toLowerCase();
  // datetime-local values are read as UTC, like the table's times.
  const fromMs = from ? Date.parse(`${from}Z`) : Number.NEGATIVE_INFINITY;
  const toMs = to ? Date.parse(`${to}Z`) : Number.POSITIVE_INFINITY;
  const inWindow = (ts: string): boolean => {
    const t = Date.parse(ts);
    return t >= fromMs && t <= toMs;
  };
  return (
    <section className="page" aria-labelledby="audit-title">
      <header className="page__head">
        <h2 id="audit-title">Audit</h2>
        <button type="button" className="btn btn--small" onClick={reload}>
          Refresh
        </button>
        <ExportButton format="jsonl" label="Export log (JSON Lines)" />
      </header>
      <VerifyStatus />
      {state.status === 'loading' && <Spinner label="Loading audit records…" />}
      {state.status === 'unavailable' && <NotAvailable what="The audit log" op="auditRecords" />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' && (
        <>
          <label className="filter">
            Filter by user, action or text{' '}
            <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </label>
          <label className="filter">
            From (UTC){' '}
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="filter">
            To (UTC){' '}
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Audit records</caption>
              <thead>
                <tr>
                  <th scope="col" className="cell--num">Seq</th>
                  <th scope="col">Time (UTC)</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Summary</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {[...state.data]
                  .reverse()
                  .filter((r) => (!f || `${r.actor} ${r.action} ${summary(r)}`.toLowerCase().includes(f)) && inWindow(r.ts))
                  .map((r) => (
                    <Fragment key={r.seq}>
                      <tr>
                        <td className="cell--num">{r.seq}</td>
                        <td className="cell--mono">{formatTime(r.ts)}</td>
                        <td>{r.actor}</td>
                        <td>
                          <button type="button" className="btn btn--link" aria-expanded={openSeq === r.seq} onClick={() => setOpenSeq(openSeq === r.seq ? null : r.seq)}>
                            {r.action}
                          </button>
                        </td>
                        <td className="cell--title">{summary(r)}</td>
                        <td className="cell--mono" title={r.hash}>
                          {shortHash(r.hash)}
                        </td>
                      </tr>
                      {openSeq === r.seq && (
                        <tr className="row--details">
                          <td colSpan={6}>
                            <RecordDetail r={r} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
