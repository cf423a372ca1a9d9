import { useEffect, useState } from 'react';
import type { Passage } from '../transport/types.js';
import { boxPercent } from './quote-match.js';

type BBox = [number, number, number, number];

function bboxOf(p: Passage): BBox | null {
  return p.locator && 'bbox' in p.locator ? p.locator.bbox : null;
}

interface Props {
  url: string;
  title: string;
  /** The cited passage: its OCR box is drawn strong. */
  cited: Passage;
  /** Neighbouring passages: their boxes are drawn faint, for context. */
  others: readonly Passage[];
  /** Pixel size the boxes were measured in (the upright image); the loaded image's own size when absent. */
  width?: number;
  height?: number;
}

/**
 * The picture with OCR boxes over it. Boxes are in pixels of the upright
 * image (EXIF orientation applied), which is how the browser draws it too,
 * so they are placed as percentages of the displayed image.
 */
export function ImageRegions({ url, title, cited, others, width, height }: Props) {
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => setNatural(null), [url]);
  const w = width ?? natural?.w;
  const h = height ?? natural?.h;
  const citedBox = bboxOf(cited);
  const boxes = [...others.map((p) => ({ p, strong: false })), { p: cited, strong: true }]
    .map(({ p, strong }) => ({ id: p.id, strong, bbox: bboxOf(p), text: p.text }))
    .filter((b): b is { id: string; strong: boolean; bbox: BBox; text: string } => b.bbox !== null);
  return (
    <figure className="image-view" data-testid="image-view">
      <div className="image-view__frame">
        <img src={url} alt={title} onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })} />
        {w && h
          ? boxes.map((b) => {
              const pct = boxPercent(b.bbox, w, h);
              return (
                <div
                  key={b.id}
                  className={`ocr-box${b.strong ? ' ocr-box--cited' : ''}`}
                  data-testid={b.strong ? 'ocr-box-cited' : 'ocr-box'}
                  title={b.text}
                  style={{ left: `${pct.left}%`, top: `${pct.top}%`, width: `${pct.width}%`, height: `${pct.height}%` }}
                />
              );
            })
          : null}
      </div>
      <figcaption className="muted">
        {citedBox ? `Cited region outlined: x ${citedBox[0]}–${citedBox[2]}, y ${citedBox[1]}–${citedBox[3]} px.` : 'The cited passage has no image region.'} Neighbouring OCR regions are dashed.
      </figcaption>
    </figure>
  );
}
