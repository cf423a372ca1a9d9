import { createPublicKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintOf, formatFingerprint, generateKeyFiles, loadTrustStore, lookupSigner, readPrivateKeyFile, revokeKey, trustKey, trustStoreJson } from '../../main/packages/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import { type Sandbox, sandbox } from './helpers.js';

let sb: Sandbox;
beforeEach(async () => (sb = await sandbox('cairn-keys-')));
afterEach(async () => sb.cleanup());

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;
const keysDir = (): string => path.join(sb.data, 'keys');

describe('key generation', () => {
  it('writes NAME.key and NAME.pub with mode 0600 in a 0700 folder; fingerprint = sha256(raw public key)', async () => {
    const k = await generateKeyFiles('hq-signing', path.join(sb.root, 'new', 'keys'));
    expect(await mode(k.privateKeyFile)).toBe(0o600);
    expect(await mode(k.publicKeyFile)).toBe(0o600);
    expect(await mode(path.dirname(k.privateKeyFile))).toBe(0o700);
    const pub = createPublicKey(await readFile(k.publicKeyFile, 'utf8'));
    const raw = Buffer.from(pub.export({ format: 'jwk' }).x!, 'base64url');
    expect(raw).toHaveLength(32);
    expect(k.fingerprint).toBe(sha256Hex(raw));
    expect(fingerprintOf(pub)).toBe(k.fingerprint);
    expect(formatFingerprint(k.fingerprint)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    const signing = await readPrivateKeyFile(k.privateKeyFile);
    expect(signing.fingerprint).toBe(k.fingerprint);
    expect(signing.warnings).toEqual([]);
  });

  it('never overwrites a key and refuses unsafe names', async () => {
    const dir = path.join(sb.root, 'k');
    await generateKeyFiles('a', dir);
    await expect(generateKeyFiles('a', dir)).rejects.toThrow(/already exists/);
    await expect(generateKeyFiles('../evil', dir)).rejects.toThrow(/invalid key name/);
    await expect(generateKeyFiles('', dir)).rejects.toThrow(/invalid key name/);
  });

  it('warns when a private key can be read by others', async () => {
    const k = await generateKeyFiles('loose', path.join(sb.root, 'k'));
    const { chmod } = await import('node:fs/promises');
    await chmod(k.privateKeyFile, 0o644);
    expect((await readPrivateKeyFile(k.privateKeyFile)).warnings[0]).toMatch(/chmod 600/);
  });
});

describe('trust store', () => {
  it('trust, list, revoke: trusted files 0600, revocation kept, revoked beats trusted', async () => {
    const a = await generateKeyFiles('alpha', path.join(sb.root, 'pub'));
    const b = await generateKeyFiles('bravo', path.join(sb.root, 'pub'));
    const t = await trustKey(keysDir(), a.publicKeyFile, 'alpha');
    expect(t).toMatchObject({ already: false, key: { name: 'alpha', fingerprint: a.fingerprint } });
    expect(await mode(t.key.file)).toBe(0o600);
    expect(await mode(keysDir())).toBe(0o700);
    expect((await trustKey(keysDir(), a.publicKeyFile, 'alpha-again')).already).toBe(true);
    await expect(trustKey(keysDir(), b.publicKeyFile, 'alpha')).rejects.toThrow(/already used by key/);
    await trustKey(keysDir(), b.publicKeyFile, 'bravo');

    let store = await loadTrustStore(keysDir());
    expect(store.trusted.map((k) => [k.name, k.fingerprint])).toEqual([
      ['alpha', a.fingerprint],
      ['bravo', b.fingerprint],
    ]);
    expect(lookupSigner(store, a.fingerprint).status).toBe('trusted');

    // Revoke by a grouped fingerprint prefix, as people read it off a screen.
    const r = await revokeKey(keysDir(), formatFingerprint(a.fingerprint).slice(0, 14), { reason: 'compromised' });
    expect(r).toMatchObject({ already: false, entry: { fingerprint: a.fingerprint, name: 'alpha', reason: 'compromised' } });
    expect(await mode(path.join(keysDir(), 'revoked.json'))).toBe(0o600);
    store = await loadTrustStore(keysDir());
    expect(store.trusted.map((k) => k.name)).toEqual(['bravo']);
    expect(lookupSigner(store, a.fingerprint)).toMatchObject({ status: 'revoked', entry: { reason: 'compromised' } });
    expect((await revokeKey(keysDir(), a.fingerprint)).already).toBe(true);

    // Trusting a revoked key again needs --reinstate.
    await expect(trustKey(keysDir(), a.publicKeyFile, 'alpha')).rejects.toThrow(/was revoked on .*--reinstate/);
    const back = await trustKey(keysDir(), a.publicKeyFile, 'alpha', { reinstate: true });
    expect(back.reinstated).toBe(true);
    expect(lookupSigner(await loadTrustStore(keysDir()), a.fingerprint).status).toBe('trusted');

    // Revoking by name.
    await revokeKey(keysDir(), 'bravo');
    expect(lookupSigner(await loadTrustStore(keysDir()), b.fingerprint).status).toBe('revoked');
  });

  it('revokes a full fingerprint never trusted here (pre-emptively); unknown names are NOT_FOUND', async () => {
    const c = await generateKeyFiles('charlie', path.join(sb.root, 'pub'));
    await revokeKey(keysDir(), c.fingerprint.toUpperCase(), { reason: 'announced compromised' });
    expect(lookupSigner(await loadTrustStore(keysDir()), c.fingerprint).status).toBe('revoked');
    await expect(revokeKey(keysDir(), 'nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads --trust as a keys folder, a folder of .pub files, one .pub, or the JSON `keys list --json` prints', async () => {
    const a = await generateKeyFiles('alpha', path.join(sb.root, 'pub'));
    await trustKey(keysDir(), a.publicKeyFile, 'alpha');
    const json = trustStoreJson(await loadTrustStore(keysDir()));
    const jsonFile = path.join(sb.root, 'trust.json');
    await writeFile(jsonFile, JSON.stringify(json));
    for (const loc of [keysDir(), path.join(keysDir(), 'trusted'), a.publicKeyFile, jsonFile]) {
      const store = await loadTrustStore(loc, { mustExist: true });
      expect(store.trusted.map((k) => k.fingerprint)).toEqual([a.fingerprint]);
    }
    // A hand-edited JSON whose fingerprint does not match its key is refused.
    await writeFile(jsonFile, JSON.stringify({ ...json, trusted: [{ ...json.trusted[0]!, fingerprint: '0'.repeat(64) }] }));
    await expect(loadTrustStore(jsonFile)).rejects.toThrow(/edited by hand or damaged/);
    await expect(loadTrustStore(path.join(sb.root, 'nope'), { mustExist: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await loadTrustStore(path.join(sb.root, 'nope'))).trusted).toEqual([]);
  });

  it('refuses a public key that is not Ed25519', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    const file = path.join(sb.root, 'rsa.pub');
    await writeFile(file, rsa);
    await expect(trustKey(keysDir(), file, 'rsa')).rejects.toThrow(/rsa public key; Cairn packages are signed with Ed25519/);
  });
});
