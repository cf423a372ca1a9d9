import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../common/ErrorNote.js';
import { Spinner } from '../common/Spinner.js';
import { describeError } from '../transport/errors.js';
import { pdfjs } from './pdf.js';
import { findQuoteRuns } from './quote-match.js';

interface Props {
  doc: PDFDocumentProxy;
  /** 1-based. */
  page: number;
  /** Text to highlight on this page (the citation's quote); none on other pages. */
  quote: string | null;
  /** CSS pixels. */
  width: number;
}

/**
 * One PDF page: the canvas pdf.js paints, its text layer over it (so the text
 * can be selected and searched), and the spans holding the quote marked.
 */
export function PdfPage({ doc, page, quote, width }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ status: 'rendering' | 'done' | 'error'; found?: number; message?: string }>({ status: 'rendering' });

  useEffect(() => {
    let live = true;
    let task: RenderTask | null = null;
    let textLayer: { cancel(): void } | null = null;
    setState({ status: 'rendering' });
    (async () => {
      const m = await pdfjs();
      const p = await doc.getPage(page);
      const base = p.getViewport({ scale: 1 });
      const viewport = p.getViewport({ scale: width / base.width });
      const c = canvas.current;
      const div = layer.current;
      if (!live || !c || !div) return;
      const dpr = window.devicePixelRatio || 1;
      c.width = Math.floor(viewport.width * dpr);
      c.height = Math.floor(viewport.height * dpr);
      c.style.width = `${Math.floor(viewport.width)}px`;
      c.style.height = `${Math.floor(viewport.height)}px`;
      task = p.render({ canvas: c, viewport, ...(dpr !== 1 ? { transform: [dpr, 0, 0, dpr, 0, 0] } : {}) });
      div.replaceChildren();
      div.style.setProperty('--total-scale-factor', String(viewport.scale));
      div.style.setProperty('--scale-round-x', '1px');
      div.style.setProperty('--scale-round-y', '1px');
      const tl = new m.TextLayer({ textContentSource: p.streamTextContent(), container: div, viewport });
      textLayer = tl;
      await Promise.all([task.promise, tl.render()]);
      if (!live) return;
      const spans = [...div.querySelectorAll<HTMLElement>('span:not(.markedContent)')];
      const hits = quote ? findQuoteRuns(spans.map((s) => s.textContent ?? ''), quote) : [];
      for (const i of hits) {
        const s = spans[i]!;
        s.classList.add('highlight');
        s.dataset.testid = 'pdf-highlight';
      }
      spans[hits[0] ?? -1]?.scrollIntoView?.({ block: 'center' });
      setState({ status: 'done', found: hits.length });
    })().catch((e: unknown) => {
      if (live && !(e instanceof Error && e.name === 'RenderingCancelledException')) setState({ status: 'error', message: describeError(e) });
    });
    return () => {
      live = false;
      task?.cancel();
      textLayer?.cancel();
    };
  }, [doc, page, quote, width]);

  return (
    <div className="pdf-page" data-testid="pdf-page" data-page={page} data-status={state.status} data-highlights={state.found ?? 0}>
      <canvas ref={canvas} aria-label={`Page ${page}`} role="img" />
      <div ref={layer} className="textLayer" />
      {state.status === 'rendering' && <Spinner label={`Rendering page ${page}…`} />}
      {state.status === 'error' && <ErrorNote message={`Page ${page} could not be drawn: ${state.message ?? ''}`} />}
      {state.status === 'done' && quote && state.found === 0 && <p className="muted pdf-page__note">The quote was not found in this page's text layer; see the passage below.</p>}
    </div>
  );
}
