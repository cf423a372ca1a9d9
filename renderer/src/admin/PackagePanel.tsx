import { useState, type FormEvent } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { formatBytes, shortHash } from '../common/format.js';
import { Spinner } from '../common/Spinner.js';
import { describeError } from '../transport/errors.js';
import { splitPhase } from './progress.js';
import { importPackage, type PackageImportSummary, type PackageVerdict, verifyPackage } from './adminClient.js';

type Phase =
  | { step: 'idle' }
  | { step: 'verifying' }
  | { step: 'verified'; verdict: PackageVerdict }
  | { step: 'importing'; phase: string; file: string; done: number; total: number }
  | { step: 'imported'; summary: PackageImportSummary }
  | { step: 'error'; message: string };

/**
 * Verify and import a signed data package that is on the Cairn machine's
 * disk. Verify writes nothing and gives a verdict listing every problem;
 * Import verifies again on the server (a package can change between the
 * two) and ingests, with a bar fed by the streamed progress events.
 */
export function PackagePanel({ onImported }: { onImported: () => void }) {
  const client = useClient();
  const [pkg, setPkg] = useState('');
  const [trust, setTrust] = useState('');
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const busy = phase.step === 'verifying' || phase.step === 'importing';
  const path = pkg.trim();

  const verify = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (!path || busy) return;
    setPhase({ step: 'verifying' });
    try {
      setPhase({ step: 'verified', verdict: await verifyPackage(client, { path, ...(trust.trim() ? { trust: trust.trim() } : {}) }) });
    } catch (err) {
      setPhase({ step: 'error', message: describeError(err) });
    }
  };

  const runImport = async (): Promise<void> => {
    if (!path || busy) return;
    setPhase({ step: 'importing', phase: 'Verifying', file: '', done: 0, total: 0 });
    try {
      const summary = await importPackage(client, { path }, (p) => setPhase({ step: 'importing', ...splitPhase(p.file), done: p.done, total: p.total }));
      setPhase({ step: 'imported', summary });
      onImported();
    } catch (err) {
      setPhase({ step: 'error', message: describeError(err) });
    }
  };

  return (
    <section className="admin-card" aria-labelledby="pkg-title">
      <h3 id="pkg-title">Data packages</h3>
      <form className="admin-form" onSubmit={(e) => void verify(e)}>
        <label>
          Package file on the Cairn machine
          <input type="text" value={pkg} onChange={(e) => setPkg(e.target.value)} placeholder="/media/usb/delivery.cairnpkg" size={48} disabled={busy} spellCheck={false} />
        </label>
        <label>
          Trust store for Verify (optional)
          <input type="text" value={trust} onChange={(e) => setTrust(e.target.value)} placeholder="default: this installation's keys" title="A keys folder, a .pub file or a trust JSON file on the Cairn machine" size={36} disabled={busy} spellCheck={false} />
        </label>
        <div className="admin-form__buttons">
          <button type="submit" className="btn" disabled={!path || busy}>
            Verify
          </button>
          <button type="button" className="btn btn--primary" disabled={!path || busy} onClick={() => void runImport()}>
            Import
          </button>
        </div>
      </form>
      {phase.step === 'verifying' && <Spinner label="Verifying the package…" />}
      {phase.step === 'verified' && <Verdict v={phase.verdict} />}
      {phase.step === 'importing' && (
        <div role="status" data-testid="import-status">
          <progress data-testid="import-progress" max={phase.total || 1} value={phase.done} aria-label="Importing the package" />{' '}
          <span className="muted">
            {phase.total ? `${phase.phase} ${phase.done}/${phase.total}: ${phase.file}` : 'Verifying the package…'}
          </span>
        </div>
      )}
      {phase.step === 'imported' && <ImportSummary s={phase.summary} />}
      {phase.step === 'error' && <ErrorNote message={phase.message} />}
    </section>
  );
}

function Verdict({ v }: { v: PackageVerdict }) {
  if (v.ok) {
    const bytes = v.files.reduce((n, f) => n + f.bytes, 0);
    return (
      <div className="pkg-verdict pkg-verdict--ok" role="status" data-testid="pkg-verdict" data-ok="true">
        <strong>✓ Package OK: {v.packageId}</strong>
        {v.publisher && (
          <p>
            Signed by {v.publisher.name} (trusted as {v.publisher.trustedAs}), key <code title={v.publisher.fingerprint}>{shortHash(v.publisher.fingerprint, 16)}</code>
          </p>
        )}
        <p>
          {v.files.length} file{v.files.length === 1 ? '' : 's'}, {formatBytes(bytes)}
        </p>
        <ul className="pkg-files">
          {v.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className="muted">{f.kind}, {formatBytes(f.bytes)}, {f.marking}</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="pkg-verdict pkg-verdict--bad" role="alert" data-testid="pkg-verdict" data-ok="false">
      <strong>
        ✗ Package NOT valid: {v.problems.length} problem{v.problems.length === 1 ? '' : 's'}. Do not import it.
      </strong>
      <ul>
        {v.problems.map((p, i) => (
          <li key={i} data-testid="pkg-problem" data-code={p.code}>
            <strong>{p.code}</strong>
            {p.path !== undefined && (
              <>
                {' '}
                <code>{p.path}</code>
              </>
            )}
            : {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ImportSummary({ s }: { s: PackageImportSummary }) {
  return (
    <div className={`pkg-verdict ${s.failed > 0 ? 'pkg-verdict--bad' : 'pkg-verdict--ok'}`} role="status" data-testid="import-summary">
      <strong>
        {s.resumed ? 'Completed the interrupted import of' : 'Imported'} package {s.packageId}: {s.ingested} ingested, {s.exists} already present, {s.failed} failed
      </strong>
      <p>
        From {s.publisher.trustedAs ?? s.publisher.name}, key <code title={s.publisher.fingerprint}>{shortHash(s.publisher.fingerprint, 16)}</code>
        {s.auditId && (
          <>
            ; audit <code title={s.auditId}>{shortHash(s.auditId)}</code>
          </>
        )}
      </p>
      <ul className="pkg-files">
        {s.files.map((f) => (
          <li key={f.path} data-testid="import-file" data-status={f.status}>
            <span className={f.status === 'failed' ? 'verdict--broken' : undefined}>{f.status}</span> <code>{f.path}</code> <span className="muted">[{f.marking}]</span>
            {f.error && (
              <span className="verdict--broken">
                {' '}
                {f.error.code}: {f.error.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
