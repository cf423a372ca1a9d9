import type { Citation } from '../transport/types.js';

export function CitationChip({ n, citation, active, onOpen }: { n: number; citation: Citation; active: boolean; onOpen: () => void }) {
  return (
    <button
      type="button"
      className={`chip${active ? ' chip--active' : ''}`}
      aria-pressed={active}
      aria-label={`Citation ${n}: ${citation.title}, page ${citation.page}`}
      title={`${citation.title}, p. ${citation.page}`}
      onClick={onOpen}
      data-testid="citation-chip"
    >
      {n}
    </button>
  );
}
