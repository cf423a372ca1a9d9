import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointFileOf, CHECKPOINT_ACTION, readCheckpointFile, writeCheckpointFile } from '../../main/audit/checkpoint.js';
import { formatAuditRecord } from '../../main/audit/format.js';
import { AuditLog } from '../../main/audit/log.js';
import { type AuditRecord, hashRecord, serializeRecord } from '../../main/audit/record.js';
import { installationKeyFiles, readInstallationPublicKey, signStatement, verifyStatement } from '../../main/audit/sign.js';
import { generateKeyFiles, readPrivateKeyFile } from '../../main/packages/keys.js';
import { lines, parse, tempDataDir, writeLines } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDataDir()));
afterEach(async () => cleanup());

/** A log with interval checkpoints off, so each test places its own. */
async function logWith(n: number, every = 0): Promise<AuditLog> {
  const log = await AuditLog.open(dir, { checkpointEvery: every });
  for (let i = 1; i <= n; i++) await log.append('alice', 'ask', { question: `question ${i}?`, answer: `answer ${i}`, citations: [] });
  return log;
}

/**
 * What a forger with write access but not the key does: change records and
 * recompute every hash and prevHash after them, so the chain itself verifies.
 */
function rechain(ls: string[], edit: (r: AuditRecord, i: number) => AuditRecord): string[] {
  let prev = '0'.repeat(64);
  return ls.map((l, i) => {
    const r = edit(parse(l), i);
    const unsealed = { seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, payload: r.payload, prevHash: prev };
    const hash = hashRecord(unsealed);
    prev = hash;
    return serializeRecord({ ...unsealed, hash });
  });
}

describe('signed checkpoints', () => {
  it('sign and verify round trip, with the installation key made 0600 on first need', async () => {
    const log = await logWith(5);
    const cp = await log.checkpoint('alice');
    expect(cp).toMatchObject({ seq: 6, action: CHECKPOINT_ACTION, payload: { seq: 5, alg: 'Ed25519', reason: 'requested' } });
    const { privateKeyFile, publicKeyFile } = installationKeyFiles(dir);
    expect((await stat(privateKeyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(publicKeyFile)).mode & 0o777).toBe(0o600);
    const records = await log.read();
    expect((cp!.payload as { headHash: string }).headHash).toBe(records[4]!.hash);

    const v = await log.verifySigned();
    expect(v).toMatchObject({ ok: true, records: 6, checkpoints: 1, unsignedTail: 0, lastCheckpoint: { recordSeq: 6, seq: 5, signer: 'installation' } });
    expect(formatAuditRecord(cp!)).toContain(`audit.checkpoint  ${cp!.hash.slice(0, 12)}  signs seq 5 head ${records[4]!.hash.slice(0, 12)}`);
    // A second request with nothing new appended signs nothing.
    expect(await log.checkpoint('alice')).toBeNull();
    await log.append('bob', 'ask', { question: 'later?' });
    await log.append('bob', 'ask', { question: 'later still?' });
    expect(await log.verifySigned()).toMatchObject({ ok: true, records: 8, checkpoints: 1, unsignedTail: 2 });
    // The chain-only verify still gives its old shape.
    expect(await log.verify()).toEqual({ ok: true, records: 8, headHash: (await log.read())[7]!.hash });
  });

  it('signStatement / verifyStatement: the right key verifies, another key or another head does not', async () => {
    const a = await readPrivateKeyFile((await generateKeyFiles('a', path.join(dir, 'k'))).privateKeyFile);
    const b = await readPrivateKeyFile((await generateKeyFiles('b', path.join(dir, 'k'))).privateKeyFile);
    const { statement, signature } = signStatement({ seq: 3, headHash: 'ab'.repeat(32) }, a);
    expect(verifyStatement(statement, signature, a.publicKey)).toBe(true);
    expect(verifyStatement(statement, signature, b.publicKey)).toBe(false);
    expect(verifyStatement({ ...statement, seq: 4 }, signature, a.publicKey)).toBe(false);
    expect(verifyStatement({ ...statement, headHash: 'cd'.repeat(32) }, signature, a.publicKey)).toBe(false);
  });

  it('writes one after every N records, automatically, in the same lock', async () => {
    const log = await logWith(25, 10);
    const records = await log.read();
    const cps = records.filter((r) => r.action === CHECKPOINT_ACTION);
    expect(cps.map((r) => [r.seq, (r.payload as { seq: number }).seq])).toEqual([
      [11, 10],
      [21, 20],
    ]);
    expect(records).toHaveLength(27);
    expect(await log.verifySigned()).toMatchObject({ ok: true, records: 27, checkpoints: 2, unsignedTail: 6, lastCheckpoint: { recordSeq: 21 } });
  });

  it('reads the interval from DATA/config.json', async () => {
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ audit: { checkpointEvery: 3 } }));
    const log = await AuditLog.open(dir);
    expect(log.checkpointEvery).toBe(3);
    for (let i = 0; i < 3; i++) await log.append('alice', 'x', { i });
    expect((await log.read()).map((r) => r.action)).toEqual(['x', 'x', 'x', CHECKPOINT_ACTION]);
  });

  it('refuses a tampered checkpoint signature: bad-signature', async () => {
    const log = await logWith(4);
    await log.checkpoint('alice');
    await log.append('alice', 'ask', { question: 'after' });
    const ls = await lines(log);
    // Flip the signature and re-chain so only the signature can give it away.
    await writeLines(log, rechain(ls, (r) => (r.action === CHECKPOINT_ACTION ? { ...r, payload: { ...(r.payload as object), signature: flip((r.payload as { signature: string }).signature) } } : r)));
    expect(await log.verify()).toMatchObject({ ok: true });
    expect(await log.verifySigned()).toMatchObject({ ok: false, records: 4, checkpoints: 0, firstBroken: { line: 5, seq: 5, reason: 'bad-signature' } });
  });

  it('refuses a checkpoint signed by a key it does not trust: unknown-key', async () => {
    const log = await logWith(3);
    await log.checkpoint('alice');
    // A reviewer's own trust list that holds some other key.
    const other = await generateKeyFiles('other', path.join(dir, 'elsewhere'));
    const v = await log.verifySigned({ trust: other.publicKeyFile });
    expect(v).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'unknown-key' }, trust: { keys: 1 } });
    if (!v.ok) expect(v.firstBroken.message).toContain('not among the 1 trusted key(s)');
    // With the installation's .pub handed over, it verifies.
    expect(await log.verifySigned({ trust: installationKeyFiles(dir).publicKeyFile })).toMatchObject({ ok: true, checkpoints: 1 });

    // A checkpoint made with another private key fails against the installation key.
    await log.append('alice', 'ask', { question: 'q' });
    await log.checkpoint('alice', { key: await readPrivateKeyFile(other.privateKeyFile) });
    expect(await log.verifySigned()).toMatchObject({ ok: false, checkpoints: 1, firstBroken: { seq: 6, reason: 'unknown-key' } });
  });

  it('refuses a checkpoint signed by a revoked key: revoked-key', async () => {
    const log = await logWith(2);
    await log.checkpoint('alice');
    const own = (await readInstallationPublicKey(dir))!;
    const trustFile = path.join(dir, 'trust.json');
    const pem = own.key.export({ type: 'spki', format: 'pem' }).toString();
    await writeFile(trustFile, JSON.stringify({ format: 'cairn-trust/1', trusted: [{ name: 'site', fingerprint: own.fingerprint, publicKey: pem }], revoked: [{ fingerprint: own.fingerprint, name: 'site', revokedAt: '2031-01-01T00:00:00Z', reason: 'laptop lost' }] }));
    expect(await log.verifySigned({ trust: trustFile })).toMatchObject({ ok: false, firstBroken: { reason: 'revoked-key' } });
  });

  it('an edited record before a checkpoint: hash-mismatch, and re-chained around it: checkpoint-mismatch', async () => {
    const log = await logWith(6);
    await log.checkpoint('alice');
    await log.append('alice', 'ask', { question: 'after' });
    const original = await lines(log);

    const edited = [...original];
    const r3 = parse(edited[2]!);
    edited[2] = serializeRecord({ ...r3, payload: { ...(r3.payload as object), answer: 'a different answer' } });
    await writeLines(log, edited);
    expect(await log.verifySigned()).toMatchObject({ ok: false, records: 2, firstBroken: { seq: 3, reason: 'hash-mismatch' } });

    // The forger recomputes every hash after the edit: the chain holds, the signature names the old head.
    await writeLines(log, rechain(original, (r) => (r.seq === 3 ? { ...r, payload: { ...(r.payload as object), answer: 'a different answer' } } : r)));
    expect(await log.verify()).toMatchObject({ ok: true, records: 8 });
    const v = await log.verifySigned();
    expect(v).toMatchObject({ ok: false, records: 6, firstBroken: { line: 7, seq: 7, reason: 'checkpoint-mismatch' } });
    if (!v.ok) expect(v.firstBroken.message).toContain('rewritten and re-chained');

    // ... and if they also rewrite the checkpoint's head, the signature no longer verifies.
    const rechained = rechain(original, (r) => (r.seq === 3 ? { ...r, payload: { ...(r.payload as object), answer: 'a different answer' } } : r));
    const newHead = parse(rechained[5]!).hash;
    await writeLines(log, rechain(rechained, (r) => (r.action === CHECKPOINT_ACTION ? { ...r, payload: { ...(r.payload as object), headHash: newHead } } : r)));
    expect(await log.verifySigned()).toMatchObject({ ok: false, firstBroken: { seq: 7, reason: 'bad-signature' } });
  });

  it('a log cut back to before a kept checkpoint: only the kept file or head shows it (missing-checkpoint)', async () => {
    const log = await logWith(5);
    await log.append('alice', 'ask', { question: 'six' });
    const head = (await log.read()).at(-1)!;
    const cp = (await log.checkpoint('alice'))!;
    const keptFile = path.join(dir, 'kept-checkpoint.json');
    const own = (await readInstallationPublicKey(dir))!;
    await writeCheckpointFile(keptFile, checkpointFileOf(cp, own.key.export({ type: 'spki', format: 'pem' }).toString()));
    const kept = await readCheckpointFile(keptFile);
    await log.append('alice', 'ask', { question: 'eight' });

    // Intact: the kept checkpoint is found.
    expect(await log.verifySigned({ file: kept })).toMatchObject({ ok: true, kept: { seq: 7, found: true } });
    expect(await log.verifySigned({ expectHead: head.hash })).toMatchObject({ ok: true, kept: { found: true } });

    // Cut back to 5 records: a perfectly valid chain on its own.
    await writeLines(log, (await lines(log)).slice(0, 5));
    expect(await log.verifySigned()).toMatchObject({ ok: true, records: 5, checkpoints: 0, unsignedTail: 5 });
    const v = await log.verifySigned({ file: kept });
    expect(v).toMatchObject({ ok: false, records: 5, firstBroken: { seq: 7, reason: 'missing-checkpoint' }, kept: { found: false } });
    if (!v.ok) expect(v.firstBroken.message).toContain('cut back');
    expect(await log.verifySigned({ expectHead: head.hash })).toMatchObject({ ok: false, firstBroken: { reason: 'missing-checkpoint' } });

    // Cut back and regrown with other records: the kept seq now has another hash.
    const regrown = await AuditLog.open(dir, { checkpointEvery: 0 });
    for (const q of ['x', 'y', 'z']) await regrown.append('mallory', 'ask', { question: q });
    expect(await regrown.verifySigned({ file: kept })).toMatchObject({ ok: false, firstBroken: { seq: 7, reason: 'missing-checkpoint' } });
  });

  it('refuses a kept checkpoint file whose signature was forged', async () => {
    const log = await logWith(2);
    const cp = (await log.checkpoint('alice'))!;
    const own = (await readInstallationPublicKey(dir))!;
    const file = checkpointFileOf(cp, own.key.export({ type: 'spki', format: 'pem' }).toString());
    expect(await log.verifySigned({ file: { ...file, signature: flip(file.signature) } })).toMatchObject({ ok: false, firstBroken: { reason: 'bad-signature' } });
  });

  it('a malformed checkpoint payload: bad-checkpoint', async () => {
    const log = await logWith(2);
    await log.append('alice', CHECKPOINT_ACTION, { seq: 2, note: 'not signed' });
    expect(await log.verifySigned()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'bad-checkpoint' } });
  });
});

/** Changes one base64 character of a signature (keeping it well-formed). */
function flip(sig: string): string {
  const c = sig[10] === 'A' ? 'B' : 'A';
  return `${sig.slice(0, 10)}${c}${sig.slice(11)}`;
}
