import cliProgress from 'cli-progress';
import path from 'node:path';
import type { IngestProgress } from '../../ingest/pipeline.js';

export interface ProgressReporter {
  update: (e: IngestProgress) => void;
  stop: () => void;
}

/** A progress bar on an interactive terminal; silent when piped or with --json. */
export function progressReporter(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!enabled || !stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: '{bar} {value}/{total} {file}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (e) => {
      if (!started) {
        bar.start(e.total, 0, { file: '' });
        started = true;
      }
      bar.setTotal(e.total);
      bar.update(e.done, { file: path.basename(e.file) });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
