import { useRef, useState, type DragEvent } from 'react';
import { useClient } from '../common/ClientContext.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { describeError } from '../transport/errors.js';
import type { IngestSummary } from '../transport/types.js';
import '../viewer/viewer.css';

type Phase =
  | { step: 'idle' }
  | { step: 'upload'; file: string; sent: number; total: number }
  | { step: 'ingest'; file: string; done: number; total: number }
  | { step: 'done'; summary: IngestSummary; names: Map<string, string> }
  | { step: 'error'; message: string };

/**
 * Drag-and-drop (or choose) files to ingest: each is sent into Cairn's inbox
 * (the bar counts bytes), then the ordinary ingest operation reads them all
 * (the bar counts files, from its progress events). The result lists every
 * file: ingested, already there, or failed and why.
 */
export function DropIngest({ onIngested }: { onIngested: () => void }) {
  const client = useClient();
  const [over, setOver] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [marking, setMarking] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const busy = phase.step === 'upload' || phase.step === 'ingest';

  if (!client.canUpload && !client.canIngestDropped) {
    return <p className="muted">Add files with <code>cairn ingest PATH…</code> (this window cannot send files).</p>;
  }

  const run = async (files: File[]): Promise<void> => {
    if (files.length === 0 || busy) return;
    const mark = marking.trim() ? { marking: marking.trim() } : {};
    if (!client.canUpload) {
      // The desktop shell: the files are on this machine; the main process ingests them where they lie.
      try {
        setPhase({ step: 'ingest', file: '', done: 0, total: files.length });
        const summary = await client.ingestDropped(files, mark, (p) => setPhase({ step: 'ingest', file: p.file, done: p.done, total: p.total }));
        setPhase({ step: 'done', summary, names: new Map() });
        onIngested();
      } catch (e) {
        setPhase({ step: 'error', message: describeError(e) });
      }
      return;
    }
    try {
      const total = files.reduce((n, f) => n + f.size, 0);
      let before = 0;
      const paths: string[] = [];
      const names = new Map<string, string>();
      for (const f of files) {
        setPhase({ step: 'upload', file: f.name, sent: before, total });
        const saved = await client.upload(f, f.name, (sent) => setPhase({ step: 'upload', file: f.name, sent: before + sent, total }));
        before += f.size;
        paths.push(saved.path);
        names.set(saved.path, f.name);
      }
      setPhase({ step: 'ingest', file: '', done: 0, total: paths.length });
      const summary = await client.ingest({ paths, ...mark }, (p) => setPhase({ step: 'ingest', file: names.get(p.file) ?? p.file, done: p.done, total: p.total }));
      setPhase({ step: 'done', summary, names });
      onIngested();
    } catch (e) {
      setPhase({ step: 'error', message: describeError(e) });
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    void run([...e.dataTransfer.files]);
  };

  return (
    <div
      className={`dropzone${over ? ' dropzone--over' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="dropzone__row">
        <strong>Drop files here to ingest them</strong>
        <span className="muted">or</span>
        <button type="button" className="btn btn--small" onClick={() => picker.current?.click()} disabled={busy}>
          Choose files…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Files to ingest"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void run(files);
          }}
        />
        <label className="dropzone__row">
          Marking <input type="text" value={marking} onChange={(e) => setMarking(e.target.value)} placeholder="lowest level" size={18} disabled={busy} />
        </label>
      </div>
      {phase.step === 'upload' && (
        <div role="status">
          <progress data-testid="ingest-progress" max={phase.total || 1} value={phase.sent} aria-label="Sending files" />
          <span className="muted">
            Sending {phase.file}: {Math.round((phase.sent / Math.max(1, phase.total)) * 100)}%
          </span>
        </div>
      )}
      {phase.step === 'ingest' && (
        <div role="status">
          <progress data-testid="ingest-progress" max={phase.total} value={phase.done} aria-label="Ingesting files" />
          <span className="muted">
            Ingesting: {phase.done} of {phase.total} files{phase.file ? ` (last: ${phase.file})` : ''}
          </span>
        </div>
      )}
      {phase.step === 'error' && <ErrorNote message={phase.message} />}
      {phase.step === 'done' && (
        <div role="status" data-testid="ingest-result">
          <progress max={1} value={1} aria-label="Done" />
          <p>
            {phase.summary.ingested} ingested, {phase.summary.exists} already loaded, {phase.summary.failed} failed.
          </p>
          <ul className="dropzone__results">
            {phase.summary.files.map((f) => (
              <li key={f.file} className={f.status === 'failed' ? 'dropzone__failed' : undefined}>
                {phase.names.get(f.file) ?? f.file}: {f.status}
                {f.error ? ` (${f.error.message})` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
