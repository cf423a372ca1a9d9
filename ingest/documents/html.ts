import { Tokenizer } from 'htmlparser2';
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

// Elements that never have content or an end tag.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Visible text of an HTML document, with paragraph breaks where block
 * elements begin and end, entities decoded, and HTML's whitespace rules
 * applied (runs of whitespace are one space, except inside <pre>).
 *
 * htmlparser2's Tokenizer is used, not its Parser: the Parser keeps open
 * elements in an array it `unshift`s on every open tag, which is quadratic in
 * the nesting depth (100,000 nested <div> took 10 s, 200,000 unclosed ones
 * 29 s). Only counters are needed here (inside a title, a skipped element,
 * a <pre>), so no element stack is kept at all.
 */
export function htmlToText(html: string): HtmlText {
  const out: string[] = [];
  let title = '';
  let inTitle = 0;
  let titleSeen = false;
  let skipDepth = 0;
  let preDepth = 0;
  let tag = '';

  const open = (name: string): void => {
    // Only the document's first <title>; an <svg> has titles of its own.
    if (name === 'title' && !titleSeen) inTitle++;
    else if (SKIPPED.has(name)) skipDepth++;
    if (skipDepth > 0) return;
    if (name === 'pre') preDepth++;
    if (name === 'br') out.push('\n');
    else if (BLOCKS.has(name)) out.push('\n\n');
    else if (CELLS.has(name)) out.push('\t');
  };
  const close = (name: string): void => {
    if (name === 'title' && inTitle > 0) {
      inTitle--;
      titleSeen = true;
    } else if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
    if (skipDepth > 0) return;
    if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
    if (BLOCKS.has(name)) out.push('\n\n');
  };
  const text = (data: string): void => {
    if (inTitle > 0) title += data;
    else if (skipDepth === 0) out.push(preDepth > 0 ? data : data.replace(/\s+/g, ' '));
  };
  const none = (): void => undefined;

  // Entities are decoded by the tokenizer; names are lower-cased so the sets above match any case.
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname: (start, end) => void (tag = html.slice(start, end).toLowerCase()),
      onopentagend: () => {
        open(tag);
        if (VOID.has(tag)) close(tag);
      },
      // "<x/>" closes only void and foreign (SVG, MathML) elements; in HTML "<div/>" and "<script/>" stay open.
      onselfclosingtag: () => {
        const foreign = skipDepth > 0; // inside <svg>/<math> (skipped), where "/>" does close
        open(tag);
        if (VOID.has(tag) || tag === 'svg' || tag === 'math' || foreign) close(tag);
      },
      onclosetag: (start, end) => {
        const name = html.slice(start, end).toLowerCase();
        if (name === 'br') open('br'); // "</br>" is read as "<br>", as browsers do
        else if (!VOID.has(name)) close(name);
      },
      ontext: (start, end) => text(html.slice(start, end)),
      ontextentity: (codepoint) => text(String.fromCodePoint(codepoint)),
      onattribdata: none,
      onattribentity: none,
      onattribend: none,
      onattribname: none,
      oncdata: none,
      oncomment: none,
      ondeclaration: none,
      onend: none,
      onprocessinginstruction: none,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
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
