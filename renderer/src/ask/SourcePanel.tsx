import { useEffect, useRef } from 'react';
import { formatTime, shortHash } from '../common/format.js';
import type { SearchHit } from '../transport/types.js';
import { imagePlace, trackPlace, type TrackPlace } from './citations.js';
import { PassageText } from './PassageText.js';
import { SourceViewer } from '../viewer/SourceViewer.js';
import type { OpenCitation } from './turn.js';

interface Props {
  open: OpenCitation;
  passage: SearchHit | undefined;
  onClose: () => void;
  onShowTrack: (t: TrackPlace) => void;
}

/** The place a citation points at: where in the source, and the passage with the quote highlighted. */
export function SourcePanel({ open, passage, onClose, onShowTrack }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { citation: c, n } = open;
  const track = trackPlace(c);
  const image = imagePlace(c);

  useEffect(() => {
    heading.current?.focus();
  }, [open]);

  return (
    <aside
      className="source-panel"
      aria-labelledby="source-panel-title"
      data-testid="source-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="source-panel__head">
        <h2 id="source-panel-title" ref={heading} tabIndex={-1}>
          <span className="chip chip--static">{n}</span> {c.title}
        </h2>
        <button type="button" className="btn btn--icon" aria-label="Close source" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>Page</dt>
        <dd data-testid="source-page">{c.page}</dd>
        <dt>Characters</dt>
        <dd>
          {c.start}–{c.end}
        </dd>
        {passage && (
          <>
            <dt>Marking</dt>
            <dd>{passage.marking || '—'}</dd>
          </>
        )}
        {track && (
          <>
            <dt>Entity</dt>
            <dd data-testid="source-entity">{track.entity}</dd>
            <dt>Time span</dt>
            <dd>
              {formatTime(track.t0)} – {formatTime(track.t1)}
            </dd>
          </>
        )}
        {image && (
          <>
            <dt>Image region</dt>
            <dd data-testid="source-bbox">
              x {image.bbox[0]}–{image.bbox[2]}, y {image.bbox[1]}–{image.bbox[3]} px ({image.bbox[2] - image.bbox[0]} × {image.bbox[3] - image.bbox[1]})
            </dd>
          </>
        )}
        <dt>Source</dt>
        <dd title={c.sourceId}>
          <code>{shortHash(c.sourceId, 16)}</code>
        </dd>
      </dl>
      {track && (
        <button type="button" className="btn" onClick={() => onShowTrack(track)}>
          Show this segment on the map
        </button>
      )}
      <SourceViewer citation={c} />
      <h3 className="source-panel__sub">Cited passage</h3>
      <PassageText citation={c} passage={passage} />
    </aside>
  );
}
