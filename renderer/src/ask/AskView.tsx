import { useEffect, useRef, useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { describeError } from '../transport/errors.js';
import type { Citation, SearchHit } from '../transport/types.js';
import { AnswerCard } from './AnswerCard.js';
import { citationKey, type TrackPlace } from './citations.js';
import { ConversationList } from './ConversationList.js';
import { turnsFromConversation } from './restore.js';
import { QuestionForm } from './QuestionForm.js';
import { SourcePanel } from './SourcePanel.js';
import { formatTime } from '../common/format.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { Spinner } from '../common/Spinner.js';
import type { TimeFilter } from '../map/MapView.js';
import '../viewer/viewer.css';
import type { OpenCitation, Turn } from './turn.js';

/** How many passages to fetch alongside an answer (the composer reads 8). */
const PASSAGES_K = 8;

/** The conversation: questions, cited answers, and the source panel for the chip last opened. */
interface AskViewProps {
  onShowTrack: (t: TrackPlace) => void;
  /** The timeline's window, when Ask is limited to it. */
  timeFilter?: TimeFilter | null;
  onClearTimeFilter?: () => void;
}

export function AskView({ onShowTrack, timeFilter = null, onClearTimeFilter }: AskViewProps) {
  const client = useClient();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [open, setOpen] = useState<OpenCitation | null>(null);
  const nextId = useRef(1);
  const end = useRef<HTMLDivElement>(null);
  // The conversation follow-ups continue: Cairn returns its id with every answer.
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [showList, setShowList] = useState(false);
  const [answered, setAnswered] = useState(0);
  const [reopening, setReopening] = useState<{ status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string }>({ status: 'idle' });
  const busy = turns.some((t) => t.status === 'pending') || reopening.status === 'loading';

  const update = (id: number, patch: Partial<Turn> | ((t: Turn) => Partial<Turn>)): void =>
    setTurns((ts) => ts.map((t) => (t.id === id ? { ...t, ...(typeof patch === 'function' ? patch(t) : patch) } : t)));

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [turns.length]);

  const ask = (question: string): void => {
    const id = nextId.current++;
    setTurns((ts) => [...ts, { id, question, askedAt: new Date().toISOString(), status: 'pending', partial: [], passages: new Map() }]);
    // The retrieved chunks, so a citation can be shown inside its passage.
    const dated = timeFilter ? { from: timeFilter.from, to: timeFilter.to } : {};
    client.search({ query: question, k: PASSAGES_K, ...dated }).then(
      (r) => update(id, { passages: new Map<string, SearchHit>(r.hits.map((h) => [h.chunkId, h])) }),
      () => undefined,
    );
    client
      .ask({ question, ...dated, ...(conversationId ? { conversationId } : {}) }, (p) => update(id, { partial: p.sentences }))
      .then(
        (answer) => {
          update(id, { status: 'done', answer });
          if (answer.conversationId) setConversationId(answer.conversationId);
          setAnswered((n) => n + 1);
        },
        (e: unknown) => update(id, { status: 'error', error: describeError(e) }),
      );
  };

  /** The next question starts a conversation of its own (no history carried over). */
  const startNew = (): void => {
    setTurns([]);
    setOpen(null);
    setConversationId(null);
    setReopening({ status: 'idle' });
    document.getElementById('question')?.focus();
  };

  /** Shows a saved conversation's turns; the next question continues it. */
  const reopen = (cid: string): void => {
    setReopening({ status: 'loading' });
    client.conversation(cid).then(
      (view) => {
        const restored = turnsFromConversation(view, nextId.current);
        nextId.current += restored.length;
        setTurns(restored);
        setOpen(null);
        setConversationId(view.id);
        setReopening({ status: 'idle' });
        setShowList(false);
      },
      (e: unknown) => setReopening({ status: 'error', message: describeError(e) }),
    );
  };

  /** Closing the panel puts keyboard focus back on the chip that opened it. */
  const close = (): void => {
    const chip = document.querySelector<HTMLButtonElement>('.chip--active');
    setOpen(null);
    chip?.focus();
  };

  const openTurn = open ? turns.find((t) => t.id === open.turnId) : undefined;
  const activeKey = open ? citationKey(open.citation) : null;

  return (
    <div className={`ask${open ? ' ask--with-panel' : ''}`}>
      <section className="conversation" aria-label="Conversation">
        <div className="conversation__bar">
          <button type="button" className="btn btn--small" aria-expanded={showList} aria-controls="conversation-list" onClick={() => setShowList((v) => !v)}>
            Conversations
          </button>
          <button type="button" className="btn btn--small" onClick={startNew} disabled={busy}>
            New conversation
          </button>
          <span className="conversation__id muted" data-testid="conversation-id" data-id={conversationId ?? ''}>
            {conversationId ? 'Follow-up questions continue this conversation.' : 'Your next question starts a new conversation.'}
          </span>
        </div>
        {showList && (
          <div id="conversation-list">
            <ConversationList current={conversationId} version={answered} onOpen={reopen} />
          </div>
        )}
        {reopening.status === 'loading' && <Spinner label="Opening the conversation…" />}
        {reopening.status === 'error' && <ErrorNote message={reopening.message} />}
        <div className="conversation__scroll" aria-live="polite">
          {turns.length === 0 && (
            <div className="empty">
              <h2>Ask the loaded sources</h2>
              <p>Answers quote the sources they rest on. Each numbered chip opens the cited passage.</p>
            </div>
          )}
          {turns.map((t) => (
            <AnswerCard
              key={t.id}
              turn={t}
              activeKey={open?.turnId === t.id ? activeKey : null}
              onOpen={(citation: Citation, n: number) => setOpen({ turnId: t.id, citation, n })}
            />
          ))}
          <div ref={end} />
        </div>
        {timeFilter && (
          <p className="time-filter" data-testid="time-filter">
            <span>
              Only passages dated {formatTime(timeFilter.from)} – {formatTime(timeFilter.to)} (the timeline's window).
            </span>
            {onClearTimeFilter && (
              <button type="button" className="btn btn--small" onClick={onClearTimeFilter}>
                Search all dates
              </button>
            )}
          </p>
        )}
        <QuestionForm busy={busy} onAsk={ask} />
      </section>
      {open && <SourcePanel open={open} passage={openTurn?.passages.get(open.citation.chunkId)} onClose={close} onShowTrack={onShowTrack} />}
    </div>
  );
}
