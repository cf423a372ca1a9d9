/**
 * Electron transport: the preload exposes the contract's operations as
 * `window.cairn.<op>(input, onEvent?)` through contextBridge, each resolving
 * to a result envelope `{ok: true, value} | {ok: false, error}` (the bridge
 * keeps only an Error's message, so errors travel as data).
 */
import { CallError, OpUnavailableError } from './errors.js';
import type { ApiResult, IngestSummary, OpName, StreamEvent, Transport } from './types.js';

type BridgeFn = (input: unknown, onEvent?: (e: StreamEvent) => void) => Promise<unknown>;
type Bridge = Partial<Record<string, unknown>>;

/** `window.cairnDrop` (preload.cts): dropped Files ingested by their paths on disk, which the preload reads. */
interface DropBridge {
  ingestFiles(files: File[], options: { marking?: string }, onEvent?: (e: StreamEvent) => void): Promise<unknown>;
}

declare global {
  interface Window {
    cairn?: Bridge;
    cairnDrop?: Partial<DropBridge>;
  }
}

export function dropBridge(): DropBridge | undefined {
  const b = typeof window === 'undefined' ? undefined : window.cairnDrop;
  return typeof b === 'object' && b !== null && typeof b.ingestFiles === 'function' ? (b as DropBridge) : undefined;
}

export function electronBridge(): Bridge | undefined {
  const b = window.cairn;
  return typeof b === 'object' && b !== null ? b : undefined;
}

function isEnvelope(x: unknown): x is ApiResult<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean' && ('value' in x || 'error' in x);
}

/** The value of an envelope, or its error thrown as a CallError. */
export function unwrap(x: unknown): unknown {
  if (!isEnvelope(x)) return x;
  if (x.ok) return x.value;
  throw new CallError(x.error.message, x.error.code);
}

/** A rejected IPC call: Electron prefixes the message; keep what a person wrote. */
function rethrow(e: unknown): never {
  const message = e instanceof Error ? e.message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '') : String(e);
  throw new CallError(message, 'IPC');
}

export class IpcTransport implements Transport {
  readonly kind = 'electron' as const;

  /** Present when the preload offers drop ingest. */
  readonly ingestDropped?: (files: File[], input: { marking?: string }, onEvent: (e: StreamEvent) => void) => Promise<IngestSummary>;

  constructor(
    private readonly bridge: Bridge,
    drop: DropBridge | undefined = dropBridge(),
  ) {
    if (drop) this.ingestDropped = async (files, input, onEvent) => unwrap(await drop.ingestFiles(files, input, onEvent).catch(rethrow)) as IngestSummary;
  }

  call(op: OpName, input: unknown): Promise<unknown> {
    return this.invoke(op, input);
  }

  stream(op: OpName, input: unknown, onEvent: (e: StreamEvent) => void): Promise<unknown> {
    return this.invoke(op, input, onEvent);
  }

  private async invoke(op: OpName, input: unknown, onEvent?: (e: StreamEvent) => void): Promise<unknown> {
    const fn = this.bridge[op];
    if (typeof fn !== 'function') throw new OpUnavailableError(op);
    const out = await (onEvent ? (fn as BridgeFn)(input, onEvent) : (fn as BridgeFn)(input)).catch(rethrow);
    return unwrap(out);
  }
}
