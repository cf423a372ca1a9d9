/**
 * `npm run bench -- sensors`: sensor-feed lines per second for NMEA 0183,
 * AIS and a CSV track, three ways in the same run: reading the lines only
 * (the baseline: UTF-8 decode and line split, the least any reader does),
 * decoding them (readSensorFeed: parse, checksum, reassemble, segment,
 * summarise), and the whole ingest (worker-isolated decode, chunking,
 * embedding, LanceDB write of passages and observations, audit). Inputs are
 * the real feeds of ../shared/eval/sensors, each repeated to ~REPEAT_TO
 * lines so a run is long enough to time (for CSV the header stays once).
 * The reader worker is started before timing (a cold start costs seconds
 * once per process, whatever the file), as the OCR bench starts its engine.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runIsolated } from '../../ingest/documents/worker.js';
import { readSensorFeed } from '../../ingest/sensors/index.js';
import { Cairn } from '../../main/api/cairn.js';

const REPEAT_TO = 40_000;

const FEEDS = [
  { format: 'nmea', file: 'nmea/hemi.nmea.log', header: false },
  { format: 'ais', file: 'ais/sample.aivdm', header: false },
  { format: 'csv', file: 'csv/geolife_traj1-3.csv', header: true },
] as const;

export interface SensorBenchRow {
  format: string;
  source: string;
  lines: number;
  readLinesPerSecond: number;
  decodeLinesPerSecond: number;
  ingestLinesPerSecond: number;
  observations: number;
  /** Full ingest speed over the line-reading baseline. */
  ingestVsRead: number;
}

const rate = (lines: number, ms: number): number => Math.round(lines / (ms / 1000));

/** Lines split and counted: what any line-based reader must at least do. */
function readLines(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  let n = 0;
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') n++;
  return n;
}

export async function benchSensors(sharedDir: string, out = 'bench-sensors.json'): Promise<SensorBenchRow[] | null> {
  const dir = path.join(sharedDir, 'eval', 'sensors');
  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-sensors-'));
  const rows: SensorBenchRow[] = [];
  const warmUp = new TextEncoder().encode('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\n');
  await runIsolated('track', warmUp, { filename: 'warm-up.nmea' }, { timeoutMs: 120_000 });
  try {
    for (const feed of FEEDS) {
      let original: string;
      try {
        original = await readFile(path.join(dir, feed.file), 'utf8');
      } catch {
        console.log(`sensors: ${feed.format} skipped, ${path.join(dir, feed.file)} not found`);
        continue;
      }
      const all = original.split(/\r?\n/).filter((l) => l.trim() !== '');
      const head = feed.header ? all.slice(0, 1) : [];
      const body = feed.header ? all.slice(1) : all;
      const copies = Math.max(1, Math.ceil(REPEAT_TO / body.length));
      const text = [...head, ...Array.from({ length: copies }, () => body).flat()].join('\n') + '\n';
      const bytes = new TextEncoder().encode(text);
      const name = `bench-${feed.format}${path.extname(feed.file)}`;
      const file = path.join(work, name);
      await writeFile(file, bytes);

      let t = performance.now();
      const lines = readLines(bytes);
      const readMs = performance.now() - t;

      t = performance.now();
      const decoded = await readSensorFeed(bytes, { filename: name });
      const decodeMs = performance.now() - t;

      const cairn = await Cairn.open(path.join(work, `data-${feed.format}`), { actor: 'bench' });
      t = performance.now();
      const summary = await cairn.ingest({ paths: [file] });
      const ingestMs = performance.now() - t;
      if (summary.failed) throw new Error(`ingest of ${feed.file} failed: ${summary.files[0]?.error?.message ?? ''}`);

      rows.push({
        format: feed.format,
        source: `${feed.file} x${copies}`,
        lines,
        readLinesPerSecond: rate(lines, readMs),
        decodeLinesPerSecond: rate(lines, decodeMs),
        ingestLinesPerSecond: rate(lines, ingestMs),
        observations: decoded.observations.length,
        ingestVsRead: +(readMs / ingestMs).toFixed(4),
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (rows.length === 0) {
    console.log(`sensors: skipped, no feeds under ${dir}`);
    return null;
  }
  console.log('sensors: lines per second (baseline: reading the lines only)');
  console.log('  format  lines    read/s      decode/s   ingest/s   observations  source');
  for (const r of rows) {
    console.log(`  ${r.format.padEnd(8)}${String(r.lines).padEnd(9)}${String(r.readLinesPerSecond).padEnd(12)}${String(r.decodeLinesPerSecond).padEnd(11)}${String(r.ingestLinesPerSecond).padEnd(11)}${String(r.observations).padEnd(14)}${r.source}`);
  }
  await writeFile(out, JSON.stringify({ rows }, null, 2));
  return rows;
}

if (import.meta.filename === process.argv[1]) {
  await benchSensors(path.resolve(import.meta.dirname, '../../../shared'));
}
