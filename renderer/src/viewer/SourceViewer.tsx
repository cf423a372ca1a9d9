import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useEffect, useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { Spinner } from '../common/Spinner.js';
import { describeError, OpUnavailableError } from '../transport/errors.js';
import type { ChunkView, Citation } from '../transport/types.js';
import { ImageRegions } from './ImageRegions.js';
import { openPdf } from './pdf.js';
import { PdfPage } from './PdfPage.js';
import './viewer.css';

/** Width the PDF page is drawn at, CSS pixels (fits the source panel at 1280 px). */
const PAGE_WIDTH = 460;

type Original = { kind: 'pdf'; doc: PDFDocumentProxy } | { kind: 'image'; url: string } | { kind: 'none'; why: string };

/**
 * The original a citation points into, opened at the place: the PDF page with
 * the quote highlighted (with page turning), or the image with the cited OCR
 * region outlined. Text sources have no original to draw: their passage is
 * shown by the panel.
 */
export function SourceViewer({ citation }: { citation: Citation }) {
  const client = useClient();
  const [view, setView] = useState<ChunkView | null>(null);
  const [original, setOriginal] = useState<Original | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(citation.page);

  useEffect(() => {
    let live = true;
    let url: string | null = null;
    setView(null);
    setOriginal(null);
    setError(null);
    setPage(citation.page);
    (async () => {
      const v = await client.chunk(citation.chunkId, 3);
      if (!live) return;
      setView(v);
      if (!v.source.hasContent) {
        setOriginal({ kind: 'none', why: v.source.mime === 'application/pdf' || v.source.kind === 'image' ? 'The original was not kept (ingested before originals were kept, too large, or above your clearance).' : '' });
        return;
      }
      const bytes = await client.sourceContent(v.source.id);
      if (!live) return;
      if (bytes.mime === 'application/pdf') {
        const doc = await openPdf(bytes.data);
        if (live) setOriginal({ kind: 'pdf', doc });
        else void doc.destroy();
      } else {
        url = URL.createObjectURL(new Blob([bytes.data as BlobPart], { type: bytes.mime }));
        setOriginal({ kind: 'image', url });
      }
    })().catch((e: unknown) => {
      if (!live) return;
      if (e instanceof OpUnavailableError) setOriginal({ kind: 'none', why: 'This Cairn back end cannot send originals (an older version).' });
      else setError(describeError(e));
    });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [client, citation.chunkId, citation.page]);

  useEffect(() => {
    if (original?.kind !== 'pdf') return;
    const doc = original.doc;
    return () => void doc.destroy();
  }, [original]);

  if (error) return <ErrorNote message={`The original could not be opened: ${error}`} />;
  if (!view || !original) return <Spinner label="Opening the source…" />;
  if (original.kind === 'none') return original.why ? <p className="muted" data-testid="viewer-none">{original.why}</p> : null;
  if (original.kind === 'image') {
    return <ImageRegions url={original.url} title={view.source.title} cited={view.chunk} others={[...view.before, ...view.after]} width={view.source.width} height={view.source.height} />;
  }
  const pages = original.doc.numPages;
  return (
    <section className="pdf-view" aria-label="Original document" data-testid="pdf-view">
      <nav className="pdf-view__nav" aria-label="Pages">
        <button type="button" className="btn btn--small" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={page <= 1}>
          Previous page
        </button>
        <span data-testid="pdf-page-number">
          Page {page} of {pages}
        </span>
        <button type="button" className="btn btn--small" onClick={() => setPage((p) => Math.min(pages, p + 1))} disabled={page >= pages}>
          Next page
        </button>
        {page !== citation.page && (
          <button type="button" className="btn btn--small" onClick={() => setPage(citation.page)}>
            Back to the cited page
          </button>
        )}
      </nav>
      <div className="pdf-view__scroll">
        <PdfPage doc={original.doc} page={page} quote={page === citation.page ? citation.quote : null} width={PAGE_WIDTH} />
      </div>
    </section>
  );
}
