import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { CairnError } from '../../main/core/errors.js';
import type { Notes } from './notes.js';

/**
 * The one XML parser for sensor files. @xmldom/xmldom never fetches or reads
 * external entities or DTDs (it has no resolver at all) and leaves entity
 * references it does not know unexpanded. On top of that, a document that
 * declares entities in a DOCTYPE is refused outright: no GPX, KML, TCX or
 * CoT file needs one, and XXE / billion-laughs payloads always do.
 */
export function parseXml(text: string, filename: string, notes: Notes): Document {
  refuseEntityDeclarations(text, filename, notes);
  refuseDeepNesting(text, filename);
  return domParse(text, filename, notes);
}

/**
 * Element nesting Cairn follows. Real GPX/KML/TCX/CoT stay under a few dozen
 * levels; the readers that walk the tree (togeojson's MultiGeometry, for one)
 * recurse, and 100,000 levels overflow the call stack with a message nobody
 * can act on.
 */
export const MAX_XML_DEPTH = 1000;

/** Refuses XML nested deeper than MAX_XML_DEPTH, found by a scan of the tags (comments, CDATA, PIs and DTDs skipped). */
export function refuseDeepNesting(text: string, filename: string, maxDepth = MAX_XML_DEPTH): void {
  let depth = 0;
  const skipTo = (from: number, end: string): number => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    if (text.startsWith('<![CDATA[', i)) i = skipTo(i + 9, ']]>');
    else if (text.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
    else if (text.startsWith('<?', i)) i = skipTo(i + 2, '?>');
    else if (text.startsWith('<!', i)) i = skipTo(i + 2, '>');
    else if (text[i + 1] === '/') {
      depth--;
      i = skipTo(i + 2, '>');
    } else {
      const end = skipTo(i + 1, '>');
      if (text[end - 2] !== '/' && ++depth > maxDepth) {
        throw new CairnError('PARSE_FAILED', `${filename}: XML elements are nested more than ${maxDepth} levels deep; no real GPX, KML, TCX or CoT file is, so it was refused (a malformed or hostile file)`, { input: filename });
      }
      i = end;
    }
  }
}

/** Refuses a DTD that declares entities or points outside the file; a bare DOCTYPE is ignored with a warning. */
export function refuseEntityDeclarations(text: string, filename: string, notes: Notes): void {
  const at = text.search(/<!DOCTYPE/i);
  if (at < 0) return;
  const doctype = /^<!DOCTYPE[^[>]*(\[[\s\S]*?\])?[^>]*>/i.exec(text.slice(at))?.[0] ?? text.slice(at, at + 64 * 1024);
  if (/<!ENTITY/i.test(doctype) || /\bSYSTEM\b|\bPUBLIC\b/.test(doctype) || /<!ENTITY/i.test(text)) {
    throw new CairnError(
      'PARSE_FAILED',
      `${filename}: the XML declares a DTD with entities or an external reference (<!DOCTYPE ... <!ENTITY / SYSTEM>); Cairn never resolves these and refuses the file. Remove the DOCTYPE and try again`,
      { input: filename },
    );
  }
  notes.warn('the XML has a DOCTYPE declaration; it was ignored');
}

/**
 * @xmldom/xmldom as configured for Cairn: errors and warnings are counted,
 * fatal errors refuse the file. xmldom has no entity resolver: it never
 * opens a URL or a file, and an entity it does not know stays as literal text.
 */
export function domParse(text: string, filename: string, notes: Notes): Document {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level === 'fatalError') return; // xmldom throws these itself
      notes.count(`xml-${level}`, (n) => `${n} XML ${level}(s) while parsing`, message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not well-formed XML: ${firstLine(e)}`, { input: filename, cause: e });
  }
  if (!doc.documentElement) {
    throw new CairnError('PARSE_FAILED', `${filename} is XML without a root element`, { input: filename });
  }
  return doc;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

/** Local name of the root element of an XML text, found without parsing it (skips the prolog, comments, DOCTYPE). */
export function xmlRootName(text: string): string | null {
  let s = text;
  for (let guard = 0; guard < 10_000; guard++) {
    s = s.replace(/^\s+/, '');
    if (s.startsWith('<?')) {
      const end = s.indexOf('?>');
      if (end < 0) return null;
      s = s.slice(end + 2);
    } else if (s.startsWith('<!--')) {
      const end = s.indexOf('-->');
      if (end < 0) return null;
      s = s.slice(end + 3);
    } else if (/^<!DOCTYPE/i.test(s)) {
      const m = /^<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i.exec(s);
      if (!m) return null;
      s = s.slice(m[0].length);
    } else {
      const m = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(s);
      return m ? m[2]! : null;
    }
  }
  return null;
}

/** Child elements of `el` with the given local name (namespace ignored). */
export function childElements(el: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (localName === undefined || (n as Element).localName === localName || (n as Element).nodeName === localName)) out.push(n as Element);
  }
  return out;
}

/** All descendant elements with the given local name, in document order. */
export function descendants(el: Element | Document, localName: string): Element[] {
  const out: Element[] = [];
  const list = el.getElementsByTagName('*');
  for (let i = 0; i < list.length; i++) {
    const e = list.item(i);
    if (e && (e.localName === localName || e.nodeName === localName)) out.push(e);
  }
  return out;
}
