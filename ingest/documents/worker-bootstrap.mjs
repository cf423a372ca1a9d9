// Entry file of the document-reader worker when Cairn runs from its
// TypeScript sources (tsx, vitest). A worker thread starts with a fresh
// module loader that does not know .ts files, so tsx is registered here
// before the TypeScript worker module is loaded. A compiled build (tsc ->
// dist) starts worker-entry.js directly and never uses this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker-entry.ts');
