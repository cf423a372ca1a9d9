/**
 * Two reader workers extracting one PDF's pages at once (worker.ts starts
 * the second, "helper", only when a reader is idle). They share a few
 * integers over a SharedArrayBuffer and each claims the next unread page,
 * so the split follows their real speed and a helper that starts late, or
 * never, costs the primary nothing. The primary reader still returns the
 * whole document: the helper's page texts are handed to it, and it alone
 * assembles the result exactly as a single reader would (pdf.ts).
 */

/** Index of the next unclaimed page (0-based). */
const NEXT = 0;
/** OPEN, then JOINED (the helper takes part) or CLOSED (the primary finished first, alone). */
const STATE = 1;
/** Set by the parent to make a helper stop claiming (another file needs its reader). */
const STOP = 2;

const OPEN = 0;
const JOINED = 1;
const CLOSED = 2;

/** Pages fewer than this are read by one worker: opening the file twice would cost more than it saves. */
export const SHARE_MIN_PAGES = 24;

export function newPageShare(): SharedArrayBuffer {
  return new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
}

export interface RawPageText {
  num: number;
  text: string;
}

/** What the primary reader of a shared PDF needs from its worker (worker-entry.ts). */
export interface PageSharePrimary {
  cells: SharedArrayBuffer;
  /** Tells the parent a helper is worth starting (the PDF has this many pages). */
  askHelp(pages: number): void;
  /** The helper's page texts once it has finished (or its error). */
  helperPages(): Promise<RawPageText[]>;
}

/** Claims pages one at a time until none are left (or, for a helper, until told to stop). */
export async function claimPages(cells: SharedArrayBuffer, total: number, read: (num: number) => Promise<string>, helper: boolean): Promise<RawPageText[]> {
  const c = new Int32Array(cells);
  const out: RawPageText[] = [];
  for (;;) {
    if (helper && Atomics.load(c, STOP) !== 0) break;
    const i = Atomics.add(c, NEXT, 1);
    if (i >= total) break;
    out.push({ num: i + 1, text: await read(i + 1) });
  }
  return out;
}

/** Helper: joins if the primary has not finished yet; false means there is nothing left to do. */
export function joinShare(cells: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(new Int32Array(cells), STATE, OPEN, JOINED) === OPEN;
}

/** Primary, after its last page: true when a helper joined and its pages must be waited for. */
export function closeShare(cells: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(new Int32Array(cells), STATE, OPEN, CLOSED) === JOINED;
}

/** Parent: whether the helper took part (its failure is then the document's). */
export function helperJoined(cells: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(cells), STATE) === JOINED;
}

/** Parent: asks a helper to stop after its current page; the primary reads the rest. */
export function stopHelper(cells: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(cells), STOP, 1);
}
