import { useEffect } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime } from '../common/format.js';
import { NotAvailable } from '../common/NotAvailable.js';
import { Spinner } from '../common/Spinner.js';
import { useCall } from '../common/useCall.js';

interface Props {
  /** The conversation on screen, marked as current. */
  current: string | null;
  /** Bumped after every answer, so the list shows the latest turn counts. */
  version: number;
  onOpen: (id: string) => void;
}

/** The user's saved conversations, most recent first; choosing one reopens it. */
export function ConversationList({ current, version, onOpen }: Props) {
  const client = useClient();
  const [state, reload] = useCall(() => client.conversations());
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  return (
    <nav className="conversations" aria-label="Your conversations" data-testid="conversation-list">
      {state.status === 'loading' && <Spinner label="Loading conversations…" />}
      {state.status === 'unavailable' && <NotAvailable what="Saved conversations" op="conversations" />}
      {state.status === 'error' && <ErrorNote message={state.message} onRetry={reload} />}
      {state.status === 'ready' && state.data.length === 0 && <p className="muted">No saved conversations yet: every question you ask starts or continues one.</p>}
      {state.status === 'ready' && state.data.length > 0 && (
        <ul className="conversations__list">
          {state.data.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className={`conversations__item${c.id === current ? ' conversations__item--current' : ''}`}
                aria-current={c.id === current ? 'true' : undefined}
                onClick={() => onOpen(c.id)}
                data-testid="conversation-item"
              >
                <span className="conversations__title">{c.title}</span>
                <span className="conversations__meta">
                  {c.turns} question{c.turns === 1 ? '' : 's'} · {formatTime(c.updatedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
