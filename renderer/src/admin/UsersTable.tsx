import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import type { CallState } from '../common/useCall.js';
import type { UsersList } from './adminClient.js';

/** Users, roles and clearances from DATA/users.json, and whether each has a token (never the token). */
export function UsersTable({ state, reload }: { state: CallState<UsersList>; reload: () => void }) {
  return (
    <section className="admin-card" aria-labelledby="users-title">
      <h3 id="users-title">Users</h3>
      {state.status === 'loading' && <Spinner label="Loading users…" />}
      {state.status === 'unavailable' && <NotAvailable what="The user list" op={state.op} />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' && !state.data.configured && (
        <p className="muted" data-testid="users-unconfigured">
          No users file: this is a single-user workstation and the local user holds every role. Add users in <code>users.json</code> in the data folder.
        </p>
      )}
      {state.status === 'ready' && state.data.configured && (
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">Clearance</th>
                <th scope="col">Compartments</th>
                <th scope="col">Nationality</th>
                <th scope="col">Token</th>
              </tr>
            </thead>
            <tbody>
              {state.data.users.map((u) => (
                <tr key={u.name} data-testid="user-row">
                  <th scope="row">{u.name}</th>
                  <td>{u.roles.join(', ') || <span className="muted">none</span>}</td>
                  <td>{u.clearance}</td>
                  <td>{u.compartments.join(', ') || <span className="muted">none</span>}</td>
                  <td>{u.nationality ?? <span className="muted">unset</span>}</td>
                  <td>{u.token ? `issued ${formatTime(u.token.issuedAt)}` : <span className="muted">none</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
