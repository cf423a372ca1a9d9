import './worker-shims.js';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { CairnError, toCairnError } from '../../main/core/errors.js';
import type { ReadImageOptions } from '../imagery/index.js';
import { loadPdfParse } from './pdf-load.js';
import type { PdfOcrOptions } from './pdf-ocr.js';
import type { PageSharePrimary, RawPageText } from './pdf-pages.js';
import type { PdfReadOptions } from './pdf.js';
import type { ExtractedDocument, ReadOptions } from './types.js';
import { fromWire, type HelperPagesMessage, type IsolatedTask, type ToWorker, toWire, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/**
 * Each task: run it, and name the buffers in its result that can be moved
 * back rather than copied. A task's readers are imported on its first use:
 * OCR (tesseract), imagery and sensor feeds cost more than a second to load,
 * and a reader that only ever reads documents should not pay for them.
 */
const TASKS: Record<IsolatedTask, (bytes: Uint8Array, opts: WorkerRequest['opts'], req: WorkerRequest) => Promise<{ result: unknown; transfer: Uint8Array[] }>> = {
  document: async (bytes, opts, req) => {
    const { readDocument } = await import('./index.js');
    // readDocument hands its options on to readPdf unchanged; other readers ignore pageShare.
    const read: PdfReadOptions = { ...(opts as unknown as ReadOptions), ...(req.pageShare ? { pageShare: primaryShare(req.id, req.pageShare) } : {}) };
    const doc: ExtractedDocument = await readDocument(bytes, read);
    return { result: doc, transfer: doc.attachments.map((a) => a.bytes) };
  },
  'pdf-pages': async (bytes, opts, req) => {
    if (!req.pageShare) throw new CairnError('INTERNAL', `reading ${opts.filename}: page helper started without its page claims`, { input: opts.filename });
    const { readPdfPages } = await import('./pdf.js');
    return { result: await readPdfPages(bytes, opts as unknown as ReadOptions, req.pageShare), transfer: [] };
  },
  'pdf-ocr': async (bytes, opts) => {
    const { ocrPdf } = await import('./pdf-ocr.js');
    return { result: await ocrPdf(bytes, opts as unknown as PdfOcrOptions), transfer: [] };
  },
  track: async (bytes, opts) => {
    const { readSensorFeed } = await import('../sensors/index.js');
    return { result: await readSensorFeed(bytes, opts), transfer: [] };
  },
  // OCR runs in this worker too, so its time and memory count against the same limits.
  image: async (bytes, opts) => {
    const { readImage } = await import('../imagery/index.js');
    return { result: await readImage(bytes, opts as unknown as ReadImageOptions), transfer: [] };
  },
};

/**
 * Worker side of readDocumentIsolated: reads one document per request and
 * posts the result back, attachment bytes moved rather than copied. The
 * parent sends one request at a time and kills the thread on a deadline.
 */
// Library chatter (pdf.js prints its warnings with console.log) goes to
// stderr: stdout belongs to the CLI's machine-readable output. (Capturing the
// worker's stdout in the parent instead would keep the process alive.)
console.log = console.info = console.debug = console.error;

// Document readers (pdf.js among them) are what almost every worker runs:
// loaded while the first request is still being copied in.
await loadPdfParse();
import('./index.js').catch(() => undefined);
// PDFium reads most PDFs' text (pdfium-text.ts): compiled now, not on the first PDF.
import('./pdfium-text.js').then((m) => m.loadPdfium()).catch(() => undefined);

/** Primary readers of shared PDFs waiting for their helper's pages, by request id. */
const waiting = new Map<number, (m: HelperPagesMessage['helper']) => void>();

function primaryShare(id: number, cells: SharedArrayBuffer): PageSharePrimary {
  let outcome: HelperPagesMessage['helper'] | undefined;
  let resolve: ((m: HelperPagesMessage['helper']) => void) | undefined;
  waiting.set(id, (m) => {
    outcome = m;
    resolve?.(m);
  });
  return {
    cells,
    askHelp: (pages) => parentPort?.postMessage({ id, help: pages }),
    helperPages: async (): Promise<RawPageText[]> => {
      const m = outcome ?? (await new Promise<HelperPagesMessage['helper']>((r) => (resolve = r)));
      waiting.delete(id);
      if (!m.ok) throw fromWire(m.error);
      return m.pages;
    },
  };
}

parentPort?.on('message', (msg: ToWorker) => {
  if ('helper' in msg) waiting.get(msg.id)?.(msg.helper);
  else void handle(msg);
});

async function handle(req: WorkerRequest): Promise<void> {
  const { id, task, bytes, opts } = req;
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const out = await TASKS[task](bytes, opts, req);
    reply = { id, heapUsed: getHeapStatistics().used_heap_size, ok: true, result: out.result };
    transfer = ownedBuffers(out.transfer);
  } catch (e) {
    reply = { id, heapUsed: getHeapStatistics().used_heap_size, ok: false, error: toWire(toCairnError(e, 'PARSE_FAILED', opts.filename)) };
  }
  waiting.delete(id);
  parentPort?.postMessage(reply, transfer);
}

/** Only buffers a view spans exactly can be moved; anything shared is copied instead. */
function ownedBuffers(views: Uint8Array[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  }
  return [...out];
}
