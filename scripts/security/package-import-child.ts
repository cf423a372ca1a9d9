/**
 * `cairn package import PKG --trust PUB --json` for a CLI that does not have
 * the command wired in yet: the same three calls its action makes, in a
 * process of its own so the crash trials can SIGKILL it.
 *   node --import tsx scripts/security/package-import-child.ts DATA PKG TRUST
 */
import { importPackage, loadTrustStore, openPackageIngest, PackageInvalidError } from '../../main/packages/index.js';

const [dataDir, pkg, trust] = process.argv.slice(2);
if (!dataDir || !pkg || !trust) {
  process.stderr.write('usage: package-import-child.ts DATA PKG TRUST\n');
  process.exit(2);
}
try {
  const trustStore = await loadTrustStore(trust, { mustExist: true });
  const deps = await openPackageIngest(dataDir);
  const r = await importPackage(pkg, { trustStore, ingest: deps.ingest, audit: deps.audit, actor: deps.actor, dataDir, policy: deps.policy });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exitCode = r.failed > 0 ? 1 : 0;
} catch (e) {
  if (e instanceof PackageInvalidError) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: e.toJSON() })}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`package import failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  }
}
