/**
 * The one IPC channel beyond the contract's operations: files dropped on the
 * Library, as paths the preload read with webUtils.getPathForFile. The paths
 * are checked here (dropped-paths.ts), then ingested through the ordinary
 * `ingest` operation with the same sender check, streaming and error mapping
 * as every other call (handleInvoke).
 */
import type { ApiResult, IngestOutput } from '../api/contract.js';
import type { CairnService } from '../api/ops.js';
import { mapError } from '../api/transport-errors.js';
import { checkDroppedPaths, withRefused } from './dropped-paths.js';
import { handleInvoke, type InvokeEventLike, type IpcMainLike, type IpcOptions, untrustedSender } from './ipc.js';

/** Must match DROP_CHANNEL in preload.cts (the preload test checks it). */
export const DROP_CHANNEL = 'cairn-drop:ingest';

export interface DropOptions extends IpcOptions {
  /** Cairn's data folder: nothing inside it is ingested. */
  dataDir: string;
}

export async function handleDrop(cairn: CairnService, event: InvokeEventLike, args: unknown[], o: DropOptions): Promise<ApiResult<IngestOutput>> {
  const refused = untrustedSender(event, o.isTrustedUrl);
  if (refused) return { ok: false, error: { code: 'FORBIDDEN', message: refused } };
  const [raw, options] = args;
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as { paths?: unknown; marking?: unknown };
  try {
    const checked = await checkDroppedPaths(input.paths, o.dataDir);
    if (checked.paths.length === 0) return { ok: true, value: withRefused({ files: [], ingested: 0, exists: 0, failed: 0 }, checked.refused) };
    const ingest = { paths: checked.paths, ...(input.marking !== undefined ? { marking: input.marking } : {}) };
    const r = await handleInvoke(cairn, 'ingest', event, [ingest, options], o);
    return r.ok ? { ok: true, value: withRefused(r.value as IngestOutput, checked.refused) } : r;
  } catch (e) {
    const m = mapError(e);
    if (m.internal) o.logError?.(m.cause, DROP_CHANNEL);
    return { ok: false, error: m.body };
  }
}

/** Registers the drop channel; returns a function removing it. */
export function registerDropHandler(ipcMain: IpcMainLike, cairn: CairnService, o: DropOptions): () => void {
  ipcMain.handle(DROP_CHANNEL, (event, ...args) => handleDrop(cairn, event, args, o));
  return () => ipcMain.removeHandler(DROP_CHANNEL);
}
