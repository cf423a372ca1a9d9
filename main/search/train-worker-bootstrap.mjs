// Entry of the training worker when Cairn runs from its TypeScript sources
// (tsx, vitest): a worker starts with a loader that does not know .ts files,
// so tsx is registered first. A compiled build starts train-worker-entry.js.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker-entry.ts');
