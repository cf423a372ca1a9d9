import './worker-shims.js';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { toCairnError } from '../../main/core/errors.js';
import { readImage, type ReadImageOptions } from '../imagery/index.js';
import { readSensorFeed } from '../sensors/index.js';
import { readDocument } from './index.js';
import { ocrPdf, type PdfOcrOptions } from './pdf-ocr.js';
import type { ExtractedDocument, ReadOptions } from './types.js';
import { type IsolatedTask, toWire, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/** Each task: run it, and name the buffers in its result that can be moved back rather than copied. */
const TASKS: Record<IsolatedTask, (bytes: Uint8Array, opts: WorkerRequest['opts']) => Promise<{ result: unknown; transfer: Uint8Array[] }>> = {
  document: async (bytes, opts) => {
    const doc: ExtractedDocument = await readDocument(bytes, opts as unknown as ReadOptions);
    return { result: doc, transfer: doc.attachments.map((a) => a.bytes) };
  },
  'pdf-ocr': async (bytes, opts) => ({ result: await ocrPdf(bytes, opts as unknown as PdfOcrOptions), transfer: [] }),
  track: async (bytes, opts) => ({ result: await readSensorFeed(bytes, opts), transfer: [] }),
  // OCR runs in this worker too, so its time and memory count against the same limits.
  image: async (bytes, opts) => ({ result: await readImage(bytes, opts as unknown as ReadImageOptions), transfer: [] }),
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

parentPort?.on('message', (req: WorkerRequest) => {
  void handle(req);
});

async function handle({ id, task, bytes, opts }: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const out = await TASKS[task](bytes, opts);
    reply = { id, heapUsed: getHeapStatistics().used_heap_size, ok: true, result: out.result };
    transfer = ownedBuffers(out.transfer);
  } catch (e) {
    reply = { id, heapUsed: getHeapStatistics().used_heap_size, ok: false, error: toWire(toCairnError(e, 'PARSE_FAILED', opts.filename)) };
  }
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
