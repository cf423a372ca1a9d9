import { useState, type FormEvent } from 'react';

/** The question box: Enter asks, Shift+Enter starts a new line. */
export function QuestionForm({ busy, onAsk }: { busy: boolean; onAsk: (q: string) => void }) {
  const [q, setQ] = useState('');
  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    const question = q.trim();
    if (!question || busy) return;
    onAsk(question);
    setQ('');
  };
  return (
    <form className="ask-form" onSubmit={submit} aria-label="Ask a question">
      <label htmlFor="question" className="visually-hidden">
        Question
      </label>
      <textarea
        id="question"
        rows={2}
        value={q}
        placeholder="Ask about the loaded sources…"
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
        }}
      />
      <button type="submit" className="btn btn--primary" disabled={busy || q.trim() === ''}>
        Ask
      </button>
    </form>
  );
}
