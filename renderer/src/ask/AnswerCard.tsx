import { Banner } from '../common/Banner.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { formatTime, shortHash } from '../common/format.js';
import { Spinner } from '../common/Spinner.js';
import type { Citation, Sentence } from '../transport/types.js';
import { numberCitations, numberedCitations } from './citations.js';
import { FeedbackBar } from './FeedbackBar.js';
import { SentenceLine } from './SentenceLine.js';
import type { Turn } from './turn.js';

interface Props {
  turn: Turn;
  activeKey: string | null;
  onOpen: (c: Citation, n: number) => void;
}

/** A question and its answer, the answer framed by its banner top and bottom. */
export function AnswerCard({ turn, activeKey, onOpen }: Props) {
  const a = turn.answer;
  const sentences: Sentence[] = a ? a.sentences : turn.partial;
  const numbers = numberCitations(a?.citations ?? [], sentences.flatMap((s) => s.citations));
  const pending = turn.status === 'pending';
  const noEvidence = a !== undefined && a.sentences.length === 0;
  const unsupported = sentences.filter((s) => s.supported === false).length;

  return (
    <article className="turn" aria-label={`Question: ${turn.question}`}>
      <div className="turn__q">
        <span className="turn__who">Q</span>
        <p>{turn.question}</p>
        <time dateTime={turn.askedAt}>{formatTime(turn.askedAt)}</time>
      </div>
      {turn.status === 'error' ? (
        <ErrorNote message={turn.error ?? 'the question could not be answered'} />
      ) : (
        <section className="answer" aria-label="Answer" aria-busy={pending} data-testid="answer">
          <Banner text={a?.banner ?? null} position="top" />
          <div className="answer__body">
            {noEvidence ? (
              <p className="answer__none" data-testid="no-evidence">
                {a.answer}
              </p>
            ) : (
              <p className="answer__text">
                {sentences.map((s, i) => (
                  <SentenceLine key={i} sentence={s} numbers={numbers} activeKey={activeKey} onOpen={onOpen} />
                ))}
              </p>
            )}
            {pending && <Spinner label={sentences.length > 0 ? 'Composing the answer…' : 'Searching the sources…'} />}
          </div>
          {a && (
            <footer className="answer__meta">
              <span>{noEvidence ? 'Nothing cited' : `${numbers.size} citation${numbers.size === 1 ? '' : 's'}`}</span>
              {unsupported > 0 && <span className="answer__warn">{unsupported} unsupported sentence{unsupported === 1 ? '' : 's'}</span>}
              {turn.restored && <span title="Read back from the saved conversation: a sentence not quoted word for word cites its whole passage.">reopened</span>}
              {a.auditId !== '' && (
                <span title={a.auditId} data-testid="audit-id" data-id={a.auditId}>
                  audit {shortHash(a.auditId)}
                </span>
              )}
            </footer>
          )}
          {a && a.auditId !== '' && turn.status === 'done' && <FeedbackBar answerId={a.auditId} citations={numberedCitations(a.citations, sentences.flatMap((s) => s.citations))} />}
          <Banner text={a?.banner ?? null} position="bottom" />
        </section>
      )}
    </article>
  );
}
