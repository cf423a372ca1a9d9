// Entry file of the document-reader worker when Cairn runs from its
// TypeScript sources (tsx, vitest). A worker thread starts with a fresh
// module loader that does not know .ts files, so tsx is registered here
// before the TypeScript worker module is loaded. A compiled build (tsc ->
// dist) starts worker-entry.js directly and never uses this file.
import { register } from 'tsx/esm/api';

// Start-up cost, measured: pdf-parse (pdf.js) loaded through tsx's hooks
// takes seconds, plain ~0.2 s, so it is loaded before tsx is registered.
await import('pdf-parse');
register();
// tsx turns on source maps, and Node then parses the multi-megabyte maps
// shipped with pdf.js on load (~2 s). Worker stack traces are not shown
// to anyone: errors cross back as code and message only.
process.setSourceMapsEnabled(false);
await import('./worker-entry.ts');
