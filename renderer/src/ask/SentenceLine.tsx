import type { Citation, Sentence } from '../transport/types.js';
import { CitationChip } from './CitationChip.js';
import { citationKey } from './citations.js';

interface Props {
  sentence: Sentence;
  numbers: Map<string, number>;
  activeKey: string | null;
  onOpen: (c: Citation, n: number) => void;
}

/** One answer sentence and its chips; a sentence the citation check rejected is marked. */
export function SentenceLine({ sentence, numbers, activeKey, onOpen }: Props) {
  const unsupported = sentence.supported === false;
  return (
    <span className={`sentence${unsupported ? ' sentence--unsupported' : ''}`} data-testid="sentence">
      {sentence.withheld && (
        <span className="flag" title="This sentence cites a passage above your current clearance." data-testid="withheld">
          Withheld
        </span>
      )}
      {unsupported && (
        <span className="flag" title={sentence.reason ?? 'The citation check found no support for this sentence in the passages it cites.'}>
          Unsupported
        </span>
      )}
      <span className="sentence__text">{sentence.text}</span>
      <span className="chips">
        {sentence.citations.map((c) => {
          const k = citationKey(c);
          const n = numbers.get(k) ?? 0;
          return <CitationChip key={k} n={n} citation={c} active={activeKey === k} onOpen={() => onOpen(c, n)} />;
        })}
      </span>{' '}
    </span>
  );
}
