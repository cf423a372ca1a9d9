import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { readSensorFeed, type ExtractedTrack, type ReadSensorOptions } from '../../../ingest/sensors/index.js';

/** The repository root (this file is test/ingest/sensors/fixtures.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Real sensor fixtures with expected outputs, kept beside the repo. */
export const SENSORS = path.resolve(repoRoot, '../shared/eval/sensors');

/** `describe` when ../shared/eval/sensors/<folder> exists, else `describe.skip` with a message saying why. */
export function describeFixtures(folder: string, name: string, fn: () => void): void {
  const dir = path.join(SENSORS, folder);
  if (existsSync(dir)) describe(name, fn);
  else describe.skip(`${name} (skipped: fixture folder ${dir} not found; it lives in ../shared/eval/sensors beside the repo)`, fn);
}

export function fixturePath(folder: string, file: string): string {
  return path.join(SENSORS, folder, file);
}

export function fixtureText(folder: string, file: string): string {
  return readFileSync(fixturePath(folder, file), 'utf8');
}

export function readFixture(folder: string, file: string, opts: Partial<ReadSensorOptions> = {}): Promise<ExtractedTrack> {
  return readSensorFeed(readFileSync(fixturePath(folder, file)), { filename: file, ...opts });
}

export function readString(text: string, filename: string, opts: Partial<ReadSensorOptions> = {}): Promise<ExtractedTrack> {
  return readSensorFeed(new TextEncoder().encode(text), { filename, ...opts });
}

/** A tiny CSV reader for expected.csv files (no quoted commas in them). */
export function readExpectedCsv(folder: string, file: string): Array<Record<string, string>> {
  const [head, ...rows] = fixtureText(folder, file).trim().split(/\r?\n/);
  const cols = head!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}
