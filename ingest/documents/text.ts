import { MIME } from './detect.js';
import { normalizePageText } from './normalize.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

/**
 * Plain text and Markdown. Markdown is kept as written (not rendered) so a
 * quote is exactly what the analyst sees when opening the file.
 */
export function readText(text: string, format: 'text' | 'markdown', opts: ReadOptions): ExtractedDocument {
  const page = normalizePageText(text);
  return {
    format,
    mime: MIME[format],
    title: (format === 'markdown' ? markdownTitle(page) : undefined) || opts.filename,
    pages: [{ page: 1, text: page }],
    metadata: {},
    attachments: [],
  };
}

/** The first ATX ("# Title") or setext ("Title\n=====") heading, stripped of inline markup. */
function markdownTitle(text: string): string | undefined {
  const atx = /^\s{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(text);
  const setext = /^(\S[^\n]*)\n\s{0,3}(?:=+|-{2,})[ \t]*$/m.exec(text);
  const first = atx && setext ? (atx.index < setext.index ? atx : setext) : (atx ?? setext);
  const raw = first?.[1];
  if (!raw) return undefined;
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .trim() || undefined;
}
