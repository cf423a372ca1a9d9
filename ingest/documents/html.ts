import { Parser } from 'htmlparser2';
import { MIME } from './detect.js';
import { normalizePageText } from './normalize.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

// Content that is code or markup, not prose; indexing it only adds noise.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object']);
// Elements that start a new paragraph, so their words do not run together.
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'legend', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
// Table cells stay on their row, separated.
const CELLS = new Set(['td', 'th']);

export interface HtmlText {
  title: string;
  /** Visible text, not yet normalised. */
  text: string;
}

/**
 * Visible text of an HTML document, with paragraph breaks where block
 * elements begin and end, entities decoded, and HTML's whitespace rules
 * applied (runs of whitespace are one space, except inside <pre>).
 */
export function htmlToText(html: string): HtmlText {
  const out: string[] = [];
  let title = '';
  let inTitle = 0;
  let titleSeen = false;
  let skipDepth = 0;
  let preDepth = 0;

  const parser = new Parser(
    {
      onopentag(name) {
        // Only the document's first <title>; an <svg> has titles of its own.
        if (name === 'title' && !titleSeen) inTitle++;
        else if (SKIPPED.has(name)) skipDepth++;
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth++;
        if (name === 'br') out.push('\n');
        else if (BLOCKS.has(name)) out.push('\n\n');
        else if (CELLS.has(name)) out.push('\t');
      },
      onclosetag(name) {
        if (name === 'title' && inTitle > 0) {
          inTitle--;
          titleSeen = true;
        } else if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (skipDepth > 0) return;
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (BLOCKS.has(name)) out.push('\n\n');
      },
      ontext(data) {
        if (inTitle > 0) title += data;
        else if (skipDepth === 0) out.push(preDepth > 0 ? data : data.replace(/\s+/g, ' '));
      },
    },
    // Entities are decoded by the parser; lower-cased names make the sets above match any case.
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return { title: title.replace(/\s+/g, ' ').trim(), text: out.join('') };
}

export function readHtml(html: string, opts: ReadOptions): ExtractedDocument {
  const { title, text } = htmlToText(html);
  return {
    format: 'html',
    mime: MIME.html,
    title: title || opts.filename,
    pages: [{ page: 1, text: normalizePageText(text) }],
    metadata: {},
    attachments: [],
  };
}
