import { useState } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { shortHash } from '../common/format.js';

/**
 * Exports provenance (an answer's PROV-JSON) or the audit log (JSON Lines)
 * and saves it as a file: the text comes from the auditExport operation and
 * is saved from a local blob, so nothing is fetched from anywhere else. The
 * export is itself audited; its checksum is shown for the reviewer's notes.
 */
export function ExportButton({ format, answerId, label }: { format: 'prov' | 'jsonl'; answerId?: string; label: string }) {
  const client = useClient();
  const [state, setState] = useState<{ status: 'idle' } | { status: 'busy' } | { status: 'done'; filename: string; sha256: string; auditId: string } | { status: 'error'; message: string }>({ status: 'idle' });
  const run = async (): Promise<void> => {
    setState({ status: 'busy' });
    try {
      const r = await client.auditExport({ format, ...(answerId ? { answerId } : {}) });
      const url = URL.createObjectURL(new Blob([r.content], { type: r.mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ status: 'done', filename: r.filename, sha256: r.sha256, auditId: r.auditId });
    } catch (e) {
      setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <span className="export">
      <button type="button" className="btn btn--small" disabled={state.status === 'busy'} onClick={() => void run()}>
        {label}
      </button>
      {state.status === 'done' && (
        <span className="export__done" role="status" data-testid="export-done">
          {' '}
          Saved {state.filename} (sha256 {shortHash(state.sha256)}; export audited as {shortHash(state.auditId)})
        </span>
      )}
      {state.status === 'error' && <ErrorNote message={state.message} />}
    </span>
  );
}
