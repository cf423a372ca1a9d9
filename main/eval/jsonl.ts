import { readFile } from 'node:fs/promises';

/** The non-blank lines of a JSONL file a run appends to; none when it does not exist yet. */
export async function jsonlLines(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text.split('\n').filter((l) => l.trim() !== '');
}
