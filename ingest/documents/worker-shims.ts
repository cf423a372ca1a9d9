/**
 * Imported first by the reader worker. geotiff pulls in the `web-worker`
 * package, which, loaded anywhere but the main thread of a runtime without
 * a global Worker, assumes it IS a web worker it spawned and crashes on our
 * workerData. Cairn never uses geotiff's decoder pool, so a global Worker
 * that refuses to start is enough to make it take the ordinary path.
 */
class NoWebWorkers {
  constructor() {
    throw new Error('web workers are not available inside a Cairn reader worker');
  }
}

const g = globalThis as { Worker?: unknown };
if (typeof g.Worker !== 'function') g.Worker = NoWebWorkers;

export {};
