/**
 * The Admin screen's calls, typed from the contract. Kept beside the screen
 * (not in CairnClient) because only it uses them; they go through the same
 * transport, so HTTP and the desktop bridge behave alike.
 */
import type { OpInput, OpOutput } from '../../../main/api/contract.js';
import type { CairnClient, IngestProgressEvent } from '../transport/client.js';
import type { StreamEvent } from '../transport/types.js';

export type PackageVerdict = OpOutput<'packageVerify'>;
export type PackageImportSummary = OpOutput<'packageImport'>;
export type KeysList = OpOutput<'keysList'>;
export type UsersList = OpOutput<'usersList'>;

export function verifyPackage(client: CairnClient, input: OpInput<'packageVerify'>): Promise<PackageVerdict> {
  return client.transport.call('packageVerify', input) as Promise<PackageVerdict>;
}

/** Imports, reporting each `progress` event (extraction, then ingest, one per file). */
export function importPackage(client: CairnClient, input: OpInput<'packageImport'>, onProgress: (p: IngestProgressEvent) => void): Promise<PackageImportSummary> {
  const onEvent = (e: StreamEvent): void => {
    if (e.event === 'progress') onProgress(e.data as IngestProgressEvent);
  };
  return client.transport.stream('packageImport', input, onEvent) as Promise<PackageImportSummary>;
}

export function listKeys(client: CairnClient): Promise<KeysList> {
  return client.transport.call('keysList', {}) as Promise<KeysList>;
}

export function listUsers(client: CairnClient): Promise<UsersList> {
  return client.transport.call('usersList', {}) as Promise<UsersList>;
}
