/**
 * `cairn keys generate|list|trust|revoke`: publisher keys and this
 * installation's trust store (DATA/keys/, see main/packages/trust.ts).
 * Trust and revoke change what this installation accepts, so they are audited.
 */
import type { Command } from 'commander';
import path from 'node:path';
import { AuditLog } from '../../audit/index.js';
import { defaultActor, formatFingerprint, generateKeyFiles, keysDir, loadTrustStore, revokeKey, trustKey, trustStoreJson } from '../../packages/index.js';
import type { CliContext } from '../index.js';
import { requireLocalRole } from './authorize.js';

export function register(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('publisher keys for signed data packages, and the keys this installation trusts');

  keys
    .command('generate')
    .description('make an Ed25519 key pair NAME.key (private, mode 0600) and NAME.pub (give this one to importing sites)')
    .requiredOption('--name <name>', 'key name: letters, digits, ".", "-", "_"')
    .option('--out <dir>', 'folder for the key files (default: DATA/keys/private)')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; out?: string; json?: boolean }) => {
      await requireLocalRole(ctx, 'keysManage');
      const k = await generateKeyFiles(o.name, o.out ?? path.join(keysDir(ctx.dataDir()), 'private'));
      if (o.json) {
        ctx.json(k);
        return;
      }
      ctx.io.out(
        [
          `private key ${k.privateKeyFile} (mode 0600: keep it secret; sign packages with --key)`,
          `public key  ${k.publicKeyFile}`,
          `fingerprint ${formatFingerprint(k.fingerprint)}`,
          `An importing site trusts it with: cairn keys trust ${path.basename(k.publicKeyFile)} --name ${k.name}`,
          'and should confirm the fingerprint with you over a separate channel.',
        ].join('\n'),
      );
    });

  keys
    .command('list')
    .description('the trusted and the revoked publisher keys, with fingerprints')
    .option('--json', 'print the trust store as one JSON trust file (usable with --trust)')
    .action(async (o: { json?: boolean }) => {
      const store = await loadTrustStore(keysDir(ctx.dataDir()));
      if (o.json) {
        ctx.json(trustStoreJson(store));
        return;
      }
      const lines = [`trust store ${store.location}`];
      lines.push(store.trusted.length === 0 ? '  no trusted keys (add one with `cairn keys trust PUBFILE --name NAME`)' : 'trusted:');
      for (const t of store.trusted) lines.push(`  ${t.name.padEnd(24)} ${formatFingerprint(t.fingerprint)}`);
      if (store.revoked.length > 0) {
        lines.push('revoked:');
        for (const r of store.revoked) lines.push(`  ${(r.name || '-').padEnd(24)} ${formatFingerprint(r.fingerprint)}  since ${r.revokedAt}${r.reason ? `  (${r.reason})` : ''}`);
      }
      ctx.io.out(lines.join('\n'));
    });

  keys
    .command('trust')
    .description('accept packages signed by this public key')
    .argument('<pubfile>', "the publisher's NAME.pub")
    .requiredOption('--name <name>', 'what to call the publisher here')
    .option('--reinstate', 'trust a key that was revoked')
    .option('--json', 'print JSON')
    .action(async (pubfile: string, o: { name: string; reinstate?: boolean; json?: boolean }) => {
      await requireLocalRole(ctx, 'keysManage');
      const r = await trustKey(keysDir(ctx.dataDir()), pubfile, o.name, { reinstate: o.reinstate });
      if (!r.already || r.reinstated) {
        await (await AuditLog.open(ctx.dataDir())).append(defaultActor(), 'keys.trust', { name: r.key.name, fingerprint: r.key.fingerprint, reinstated: r.reinstated, from: path.resolve(pubfile) });
      }
      if (o.json) ctx.json(r);
      else ctx.io.out(`${r.already ? 'already trusted' : 'trusted'}: ${r.key.name}  ${formatFingerprint(r.key.fingerprint)}${r.reinstated ? ' (revocation lifted)' : ''}\nCheck this fingerprint with the publisher over a separate channel.`);
    });

  keys
    .command('revoke')
    .description('stop accepting packages signed by a key; it stays on the revocation list')
    .argument('<key>', 'key name, or fingerprint (full, or a unique prefix of 8+ digits)')
    .option('--reason <text>', 'why, recorded with the revocation')
    .option('--json', 'print JSON')
    .action(async (key: string, o: { reason?: string; json?: boolean }) => {
      await requireLocalRole(ctx, 'keysManage');
      const r = await revokeKey(keysDir(ctx.dataDir()), key, { reason: o.reason });
      if (!r.already) await (await AuditLog.open(ctx.dataDir())).append(defaultActor(), 'keys.revoke', { fingerprint: r.entry.fingerprint, name: r.entry.name, reason: r.entry.reason ?? null });
      if (o.json) ctx.json(r);
      else ctx.io.out(`${r.already ? 'already revoked' : 'revoked'}: ${r.entry.name || '(unnamed)'}  ${formatFingerprint(r.entry.fingerprint)}; packages it signed now fail verification with SIGNER_REVOKED`);
    });
}
