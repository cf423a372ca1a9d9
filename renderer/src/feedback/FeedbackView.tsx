import { useEffect, useRef, useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime, shortHash } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import { useCall } from '../common/useCall.js';
import type { FeedbackRow } from '../transport/types.js';
import { describeFeedback } from './describe.js';

const KINDS: FeedbackRow['kind'][] = ['rating', 'citation', 'correction', 'preference'];

/** For reviewers and administrators: the feedback analysts gave, newest first, each naming the answer (its auditId) it is about. */
export function FeedbackView({ active = true }: { active?: boolean }) {
  const client = useClient();
  const [kind, setKind] = useState<FeedbackRow['kind'] | ''>('');
  const [state, reload] = useCall(() => client.feedbackList());
  // The view stays mounted when hidden: coming back to it shows feedback given meanwhile.
  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current) reload();
    wasActive.current = active;
  }, [active, reload]);
  const rows = state.status === 'ready' ? [...state.data].sort((a, b) => b.ts.localeCompare(a.ts)).filter((r) => kind === '' || r.kind === kind) : [];
  return (
    <section className="page" aria-labelledby="feedback-title">
      <header className="page__head">
        <h2 id="feedback-title">Feedback</h2>
        <button type="button" className="btn btn--small" onClick={reload}>
          Refresh
        </button>
      </header>
      <p className="muted">Ratings, flagged citations and corrections on answers, as far as your clearance lets you read them. Each row carries the banner of the answer it is about.</p>
      {state.status === 'loading' && <Spinner label="Loading feedback…" />}
      {state.status === 'unavailable' && <NotAvailable what="Feedback review" op="feedbackList" />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' && (
        <>
          <label className="filter">
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as FeedbackRow['kind'] | '')}>
              <option value="">all</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {rows.length === 0 ? (
            <p className="muted">No feedback yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="feedback-table">
                <caption className="visually-hidden">Feedback on answers</caption>
                <thead>
                  <tr>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col">User</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Feedback</th>
                    <th scope="col">Question</th>
                    <th scope="col">Answer (audit)</th>
                    <th scope="col">Marking</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="feedback-row" data-answer-id={r.answerId}>
                      <td className="cell--mono">{formatTime(r.ts)}</td>
                      <td>{r.user}</td>
                      <td>{r.kind}</td>
                      <td className="cell--title">{describeFeedback(r)}</td>
                      <td className="cell--title">{r.question}</td>
                      <td className="cell--mono" title={r.answerId}>
                        {shortHash(r.answerId)}
                      </td>
                      <td>{r.marking}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
