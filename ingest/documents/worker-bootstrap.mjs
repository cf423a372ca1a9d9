// Entry file of the document-reader worker when Cairn runs from its
// TypeScript sources (tsx, vitest). A worker thread starts with a fresh
// module loader that does not know .ts files, so tsx is registered here
// before the TypeScript worker module is loaded. A compiled build (tsc ->
// dist) starts worker-entry.js directly and never uses this file.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// Start-up cost, measured: pdf.js loaded through tsx's hooks takes seconds,
// plain ~0.2 s, so it is loaded before tsx is registered, with source maps
// off: Node would otherwise parse the multi-megabyte maps shipped with
// pdf.js (~2 s). Worker stack traces are not shown to anyone: errors cross
// back as code and message only.
// This is pdf-load.ts's loadPdfParse (which explains the worker module and
// Array.prototype.push) in plain JavaScript: it cannot be imported yet.
process.setSourceMapsEnabled(false);
const push = Array.prototype.push;
await import('pdf-parse');
const require = createRequire(import.meta.url);
globalThis.pdfjsWorker = await import(pathToFileURL(createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href);
Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, enumerable: false, configurable: true });
// PDFium's JavaScript glue (300 KB) likewise: ~20 ms plain, ~230 ms through tsx (measured).
await import('@embedpdf/pdfium');
register();
// tsx turns source maps back on.
process.setSourceMapsEnabled(false);
await import('./worker-entry.ts');
