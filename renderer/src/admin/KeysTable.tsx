import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import type { CallState } from '../common/useCall.js';
import type { KeysList } from './adminClient.js';

/** Publisher keys packages may be signed with, and revoked ones (changed with `cairn keys trust|revoke`). */
export function KeysTable({ state, reload }: { state: CallState<KeysList>; reload: () => void }) {
  return (
    <section className="admin-card" aria-labelledby="keys-title">
      <h3 id="keys-title">Publisher keys</h3>
      {state.status === 'loading' && <Spinner label="Loading keys…" />}
      {state.status === 'unavailable' && <NotAvailable what="The key list" op={state.op} />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' && (
        <>
          <p className="muted">
            Trust store <code>{state.data.location}</code>. Add or revoke keys with <code>cairn keys trust</code> / <code>cairn keys revoke</code>.
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="keys-table">
              <caption className="visually-hidden">Publisher keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Fingerprint (sha256)</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {state.data.trusted.map((k) => (
                  <tr key={`t-${k.fingerprint}`} data-testid="key-row" data-status="trusted">
                    <th scope="row">{k.name}</th>
                    <td className="cell--mono">{k.fingerprint}</td>
                    <td className="verdict--ok">trusted</td>
                  </tr>
                ))}
                {state.data.revoked.map((k) => (
                  <tr key={`r-${k.fingerprint}`} data-testid="key-row" data-status="revoked">
                    <th scope="row">{k.name}</th>
                    <td className="cell--mono">{k.fingerprint}</td>
                    <td className="verdict--broken">
                      revoked {formatTime(k.revokedAt)}
                      {k.reason ? `: ${k.reason}` : ''}
                    </td>
                  </tr>
                ))}
                {state.data.trusted.length + state.data.revoked.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      No keys: every package will be refused until a publisher key is trusted.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
