import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as PdfParse from 'pdf-parse';

type PdfParseModule = typeof PdfParse;

let loading: Promise<PdfParseModule> | undefined;

/**
 * pdf-parse (pdf.js's legacy build), loaded on first use, with pdf.js's own
 * worker module handed over up front. Two reasons for doing it here rather
 * than with a static import:
 *
 * - In Node pdf.js runs its "worker" on the calling thread and imports that
 *   module on the first PDF, in the middle of the read's deadline; given it
 *   as `globalThis.pdfjsWorker` it uses it directly. The module is the one
 *   next to the pdf.js that pdf-parse loads.
 * - The legacy build carries core-js polyfills, and one of them replaces
 *   `Array.prototype.push` for the whole thread with a JavaScript version
 *   (core-js flags V8's push on array-likes longer than 2^32, which nothing
 *   here has) that is several times slower: about a tenth of pdf.js's own
 *   time, and every push in the thread after it. The native one is put back.
 *   What the polyfills add (Promise.withResolvers, iterator helpers, ...)
 *   stays.
 *
 * From sources, worker-bootstrap.mjs has already loaded both the same way,
 * before registering tsx; then this only picks up the cached modules.
 */
export function loadPdfParse(): Promise<PdfParseModule> {
  loading ??= (async () => {
    const push = Array.prototype.push;
    try {
      const mod = await import('pdf-parse');
      const g = globalThis as { pdfjsWorker?: { WorkerMessageHandler?: unknown } };
      if (!g.pdfjsWorker?.WorkerMessageHandler) {
        const require = createRequire(import.meta.url);
        const file = createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
        g.pdfjsWorker = (await import(pathToFileURL(file).href)) as { WorkerMessageHandler?: unknown };
      }
      return mod;
    } finally {
      restorePush(push);
    }
  })();
  return loading;
}

function restorePush(push: typeof Array.prototype.push): void {
  if (Array.prototype.push !== push) Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, enumerable: false, configurable: true });
}
