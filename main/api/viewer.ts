import sharp from 'sharp';
import { CairnError } from '../core/errors.js';
import type { Chunk, Source } from '../core/types.js';
import { hasBlob, readBlob } from '../store/blobs.js';
import type { Store, Visibility } from '../store/store.js';
import type { ChunkViewOutput } from './contract.js';

/**
 * What the source viewer reads: a passage with its neighbours, and the
 * original bytes of a PDF or image. Both are marking-filtered: a passage the
 * user may not read does not exist for them, and an original (which holds
 * every portion of the source) is given only to users who may read the
 * source's roll-up marking.
 */

export interface ViewerDeps {
  store: Pick<Store, 'getChunks' | 'getSource' | 'chunksOfSource'>;
  dataDir: string;
  visible: Visibility;
}

/** Browsers draw these natively; TIFF is converted to PNG on the way out; anything else is not shown. */
const BROWSER_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export function canShow(mime: string): boolean {
  return mime === 'application/pdf' || BROWSER_IMAGES.has(mime) || mime === 'image/tiff';
}

function readable(source: Source, visible: Visibility): boolean {
  return visible === null || visible.has(source.marking);
}

function passage(c: Chunk): ChunkViewOutput['chunk'] {
  return { id: c.id, sourceId: c.sourceId, ordinal: c.ordinal, text: c.text, page: c.page, start: c.start, end: c.end, marking: c.marking, ...(c.locator ? { locator: c.locator } : {}) };
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined;
}

export async function chunkView(deps: ViewerDeps, id: string, neighbours: number): Promise<ChunkViewOutput> {
  const [chunk] = await deps.store.getChunks([id], deps.visible);
  if (!chunk) throw new CairnError('NOT_FOUND', `no passage ${id} (or it is marked above your clearance)`, { input: id });
  const source = await deps.store.getSource(chunk.sourceId);
  if (!source) throw new CairnError('NOT_FOUND', `the source of passage ${id} is gone`, { input: id });
  const around = neighbours > 0 ? await deps.store.chunksOfSource(chunk.sourceId, chunk.ordinal - neighbours, chunk.ordinal + neighbours, deps.visible) : [];
  const hasContent = canShow(source.mime) && readable(source, deps.visible) && (await hasBlob(deps.dataDir, source.id));
  const width = num(source.metadata.width);
  const height = num(source.metadata.height);
  return {
    chunk: passage(chunk),
    before: around.filter((c) => c.ordinal < chunk.ordinal).map(passage),
    after: around.filter((c) => c.ordinal > chunk.ordinal).map(passage),
    source: { id: source.id, kind: source.kind, title: source.title, mime: source.mime, hasContent, ...(width ? { width } : {}), ...(height ? { height } : {}) },
  };
}

export interface SourceBytes {
  id: string;
  mime: string;
  bytes: Buffer;
}

/** The original, in a form a browser shows (TIFF as an upright PNG). */
export async function sourceBytes(deps: Omit<ViewerDeps, 'store'> & { store: Pick<Store, 'getSource'> }, id: string): Promise<SourceBytes> {
  const source = await deps.store.getSource(id);
  if (!source || !readable(source, deps.visible)) throw new CairnError('NOT_FOUND', `no source ${id} (or it is marked above your clearance)`, { input: id });
  if (!canShow(source.mime)) throw new CairnError('UNSUPPORTED_TYPE', `${source.title} (${source.mime}) has no original to show: its passages are its content`, { input: id });
  const bytes = await readBlob(deps.dataDir, id);
  if (!bytes) throw new CairnError('NOT_FOUND', `the original of ${source.title} was not kept (ingested before originals were kept, or over the size limit); ingest the file again to keep it`, { input: id });
  if (source.mime === 'image/tiff') {
    const png = await sharp(bytes, { limitInputPixels: 100_000_000, failOn: 'none' }).rotate().png().toBuffer();
    return { id, mime: 'image/png', bytes: png };
  }
  return { id, mime: source.mime, bytes };
}
