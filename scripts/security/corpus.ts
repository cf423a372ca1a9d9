/**
 * Small document folders for the crash and concurrency checks: text,
 * Markdown, HTML and PDF, each with a unique token in its first sentence so
 * a full-text search can prove the document is really in the store, and
 * enough filler to make several chunks (so a write takes long enough to be
 * interrupted in the middle).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makePdf } from '../../test/fixtures/documents/make-fixtures.js';

export interface CorpusDoc {
  file: string;
  kind: 'text' | 'markdown' | 'html' | 'pdf';
  /** A word found in this document only. */
  token: string;
  /** The first sentence, which holds the token. */
  sentence: string;
}

const WORDS = ['convoy', 'ridge', 'harbour', 'depot', 'bridge', 'ferry', 'pallet', 'survey', 'marker', 'checkpoint', 'radio', 'fuel', 'ration', 'patrol', 'culvert', 'signal'];

/** Deterministic filler: `n` sentences that differ per document. */
function filler(seed: number, n: number): string[] {
  const out: string[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    const w: string[] = [];
    for (let j = 0; j < 12; j++) {
      x = (x * 1103515245 + 12345) >>> 0;
      w.push(WORDS[x % WORDS.length]!);
    }
    out.push(`Entry ${i + 1} notes ${w.join(' ')}.`);
  }
  return out;
}

/** Letters then digits, so no stemmer or tokenizer can change it. */
export const tokenFor = (tag: string, i: number): string => `${tag.replace(/[^a-z]/gi, '').toLowerCase()}tok${String(i).padStart(4, '0')}`;

export interface CorpusOptions {
  count: number;
  /** Letters; makes the tokens unique across corpora. */
  tag: string;
  /** Filler sentences per document (default 60, about 5 KB: several chunks). */
  sentences?: number;
  /** Only these kinds, in rotation (default all four). */
  kinds?: readonly CorpusDoc['kind'][];
}

export async function writeDocCorpus(dir: string, opts: CorpusOptions): Promise<CorpusDoc[]> {
  await mkdir(dir, { recursive: true });
  const kinds = opts.kinds ?? (['text', 'markdown', 'html', 'pdf'] as const);
  const docs: CorpusDoc[] = [];
  for (let i = 0; i < opts.count; i++) {
    const kind = kinds[i % kinds.length]!;
    const token = tokenFor(opts.tag, i);
    const sentence = `Field note ${token} records that the patrol reached checkpoint ${i} at dawn.`;
    const body = filler(i + opts.tag.length * 1000, opts.sentences ?? 60);
    const base = path.join(dir, `${String(i).padStart(3, '0')}-${kind}`);
    let file: string;
    switch (kind) {
      case 'text':
        file = `${base}.txt`;
        await writeFile(file, [sentence, ...body].join(' ') + '\n');
        break;
      case 'markdown':
        file = `${base}.md`;
        await writeFile(file, `# Report ${i}\n\n${sentence}\n\n${body.map((s) => `- ${s}`).join('\n')}\n`);
        break;
      case 'html':
        file = `${base}.html`;
        await writeFile(file, `<!DOCTYPE html><html><head><title>Bulletin ${i}</title></head><body><p>${sentence}</p>${body.map((s) => `<p>${s}</p>`).join('')}</body></html>`);
        break;
      case 'pdf': {
        file = `${base}.pdf`;
        const third = Math.ceil(body.length / 3);
        await writeFile(file, await makePdf([[sentence, ...body.slice(0, third)].join(' '), body.slice(third, 2 * third).join(' '), body.slice(2 * third).join(' ')], { title: `Report ${i}` }));
        break;
      }
    }
    docs.push({ file, kind, token, sentence });
  }
  return docs;
}
