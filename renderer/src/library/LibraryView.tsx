import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import { useCall } from '../common/useCall.js';
import { SourceRowView } from './SourceRowView.js';
import { DropIngest } from './DropIngest.js';

/** Every loaded source: what it is, its marking, and how well it was read. */
export function LibraryView() {
  const client = useClient();
  const [state, reload] = useCall(() => client.sources());
  return (
    <section className="page" aria-labelledby="library-title">
      <header className="page__head">
        <h2 id="library-title">Library</h2>
        <button type="button" className="btn btn--small" onClick={reload}>
          Refresh
        </button>
      </header>
      <DropIngest onIngested={reload} />
      {state.status === 'loading' && <Spinner label="Loading sources…" />}
      {state.status === 'unavailable' && <NotAvailable what="The sources list" op="sources" />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' &&
        (state.data.length === 0 ? (
          <p className="muted">No sources loaded yet. Ingest files with <code>cairn ingest PATH…</code>.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Loaded sources</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Title</th>
                  <th scope="col">Marking</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="cell--num">Size</th>
                  <th scope="col">Ingested</th>
                  <th scope="col">Quality</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.data.map((s) => (
                  <SourceRowView key={s.id} s={s} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
