import { useState, type FormEvent } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { shortHash } from '../common/format.js';
import { Spinner } from '../common/Spinner.js';
import { describeError, OpUnavailableError } from '../transport/errors.js';
import type { Citation, FeedbackInput } from '../transport/types.js';
import { feedbackSummary } from './feedback.js';

interface Props {
  /** The answer's auditId: what the feedback names. */
  answerId: string;
  /** The answer's citations with the numbers its chips show. */
  citations: { n: number; citation: Citation }[];
}

type Mode = 'none' | 'flag' | 'correct';
type Sent = { status: 'idle' } | { status: 'sending' } | { status: 'done'; text: string } | { status: 'error'; message: string };

/** Rate an answer, flag one of its citations as wrong, or write a corrected answer: each recorded with the `feedback` operation. */
export function FeedbackBar({ answerId, citations }: Props) {
  const client = useClient();
  const [mode, setMode] = useState<Mode>('none');
  const [rating, setRating] = useState<'up' | 'down' | null>(null);
  const [flagged, setFlagged] = useState(citations[0] ? String(citations[0].n) : '');
  const [note, setNote] = useState('');
  const [correction, setCorrection] = useState('');
  const [sent, setSent] = useState<Sent>({ status: 'idle' });

  const send = (input: Omit<FeedbackInput, 'answerId'>, after?: () => void): void => {
    setSent({ status: 'sending' });
    client.feedback({ answerId, ...input }).then(
      (r) => {
        setSent({ status: 'done', text: `${feedbackSummary(input, citations)} Recorded as ${shortHash(r.ids[0] ?? r.auditId)} (audit ${shortHash(r.auditId)}), marked ${r.marking}.` });
        after?.();
      },
      (e: unknown) => setSent({ status: 'error', message: e instanceof OpUnavailableError ? 'This Cairn back end does not take feedback (no `feedback` operation).' : describeError(e) }),
    );
  };

  const toggle = (m: Mode): void => setMode((cur) => (cur === m ? 'none' : m));

  const flag = (e: FormEvent): void => {
    e.preventDefault();
    const c = citations.find((x) => String(x.n) === flagged)?.citation;
    if (!c) return;
    send({ citation: { verdict: 'wrong', chunkId: c.chunkId, sourceId: c.sourceId, ...(note.trim() ? { note: note.trim() } : {}) } }, () => {
      setNote('');
      setMode('none');
    });
  };

  const correct = (e: FormEvent): void => {
    e.preventDefault();
    const text = correction.trim();
    if (!text) return;
    send({ correction: text }, () => {
      setCorrection('');
      setMode('none');
    });
  };

  const busy = sent.status === 'sending';
  const rate = (r: 'up' | 'down'): void => send({ rating: r }, () => setRating(r));

  return (
    <div className="feedback" role="group" aria-label="Feedback on this answer" data-testid="feedback">
      <div className="feedback__actions">
        <span className="feedback__label">Feedback:</span>
        <button type="button" className="btn btn--small" aria-pressed={rating === 'up'} disabled={busy} onClick={() => rate('up')}>
          ▲ Useful
        </button>
        <button type="button" className="btn btn--small" aria-pressed={rating === 'down'} disabled={busy} onClick={() => rate('down')}>
          ▼ Not useful
        </button>
        {citations.length > 0 && (
          <button type="button" className="btn btn--small" aria-expanded={mode === 'flag'} onClick={() => toggle('flag')}>
            Flag a citation
          </button>
        )}
        <button type="button" className="btn btn--small" aria-expanded={mode === 'correct'} onClick={() => toggle('correct')}>
          Correct the answer
        </button>
      </div>
      {mode === 'flag' && (
        <form className="feedback__form" onSubmit={flag} aria-label="Flag a citation as wrong">
          <label>
            Citation{' '}
            <select value={flagged} onChange={(e) => setFlagged(e.target.value)}>
              {citations.map(({ n, citation }) => (
                <option key={n} value={String(n)}>
                  {n}: {citation.title}, p. {citation.page}
                </option>
              ))}
            </select>
          </label>
          <label>
            What is wrong (optional){' '}
            <input type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="btn btn--small" disabled={busy}>
            Flag as wrong
          </button>
        </form>
      )}
      {mode === 'correct' && (
        <form className="feedback__form" onSubmit={correct} aria-label="Correct the answer">
          <label className="feedback__grow">
            Corrected answer
            <textarea rows={3} value={correction} onChange={(e) => setCorrection(e.target.value)} />
          </label>
          <button type="submit" className="btn btn--small" disabled={busy || correction.trim() === ''}>
            Send correction
          </button>
        </form>
      )}
      {sent.status === 'sending' && <Spinner label="Recording feedback…" />}
      {sent.status === 'done' && (
        <p className="feedback__done" role="status" data-testid="feedback-confirmation">
          {sent.text}
        </p>
      )}
      {sent.status === 'error' && <ErrorNote message={sent.message} />}
    </div>
  );
}
