import { useClient } from '../common/ClientContext.js';
import { useCall } from '../common/useCall.js';
import { listKeys, listUsers } from './adminClient.js';
import { KeysTable } from './KeysTable.js';
import { PackagePanel } from './PackagePanel.js';
import { UsersTable } from './UsersTable.js';
import './admin.css';

/**
 * For administrators: verify and import data packages, and see the publisher
 * keys and users. Other roles see what they may (Verify and the keys) and
 * the server's FORBIDDEN message for the rest.
 */
export function AdminView({ onImported }: { onImported?: () => void }) {
  const client = useClient();
  const [keys, reloadKeys] = useCall(() => listKeys(client));
  const [users, reloadUsers] = useCall(() => listUsers(client));
  return (
    <section className="page" aria-labelledby="admin-title">
      <header className="page__head">
        <h2 id="admin-title">Admin</h2>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            reloadKeys();
            reloadUsers();
          }}
        >
          Refresh
        </button>
      </header>
      <PackagePanel onImported={() => onImported?.()} />
      <KeysTable state={keys} reload={reloadKeys} />
      <UsersTable state={users} reload={reloadUsers} />
    </section>
  );
}
