import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { shortHash } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import { useCall } from '../common/useCall.js';

/** The chain verdict: intact up to its head, or the first broken record and why. */
export function VerifyStatus() {
  const client = useClient();
  const [state, reload] = useCall(() => client.auditVerify());
  return (
    <div className="verify" data-testid="audit-verify">
      <h3>Chain verification</h3>
      {state.status === 'loading' && <Spinner label="Verifying the audit chain…" />}
      {state.status === 'unavailable' && <NotAvailable what="Audit verification" op="auditVerify" />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' &&
        (state.data.ok ? (
          <p className="verdict verdict--ok" role="status">
            Intact: {state.data.records} record{state.data.records === 1 ? '' : 's'}, head <code title={state.data.headHash}>{shortHash(state.data.headHash, 16)}</code>
          </p>
        ) : (
          <p className="verdict verdict--broken" role="alert">
            Broken at line {state.data.firstBroken.line}
            {state.data.firstBroken.seq !== undefined ? ` (seq ${state.data.firstBroken.seq})` : ''}: {state.data.firstBroken.reason}. {state.data.firstBroken.message} {state.data.records} earlier record(s) are intact.
          </p>
        ))}
      {state.status !== 'loading' && state.status !== 'unavailable' && (
        <button type="button" className="btn btn--small" onClick={reload}>
          Verify again
        </button>
      )}
    </div>
  );
}
