import { useEffect, useRef } from 'react';
import type { Citation, SearchHit } from '../transport/types.js';
import { splitAtQuote } from './citations.js';

/** The cited chunk with the quote highlighted; the quote alone when the chunk is not at hand. */
export function PassageText({ citation, passage }: { citation: Citation; passage: SearchHit | undefined }) {
  const mark = useRef<HTMLElement>(null);
  const parts = passage ? splitAtQuote(citation, passage) : undefined;
  useEffect(() => {
    mark.current?.scrollIntoView?.({ block: 'center', behavior: 'auto' });
  }, [citation, passage]);

  if (!parts) {
    return (
      <>
        <p className="muted">Only the quoted text is at hand; the surrounding passage was not among the retrieved chunks.</p>
        <blockquote className="passage" data-testid="passage">
          <mark ref={mark} data-testid="quote-highlight">
            {citation.quote}
          </mark>
        </blockquote>
      </>
    );
  }
  return (
    <blockquote className="passage" data-testid="passage">
      {parts[0]}
      <mark ref={mark} data-testid="quote-highlight">
        {parts[1]}
      </mark>
      {parts[2]}
    </blockquote>
  );
}
