/**
 * A signed package of a folder for the package-import crash trials: a fresh
 * Ed25519 publisher key and the package file, both made with main/packages.
 * Imports trust the key by passing its .pub file as the trust store.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createPackage, generateKeyFiles } from '../../main/packages/index.js';

export interface TestPackage {
  file: string;
  trustPub: string;
  packageId: string;
}

export async function makeTestPackage(folder: string, workDir: string): Promise<TestPackage> {
  await mkdir(workDir, { recursive: true });
  const key = await generateKeyFiles('security-verify', path.join(workDir, 'keys'));
  const out = path.join(workDir, 'crash-corpus.cairnpkg');
  const r = await createPackage({ dir: folder, out, keyFile: key.privateKeyFile, publisher: 'security-verify' });
  return { file: r.out, trustPub: key.publicKeyFile, packageId: r.packageId };
}
