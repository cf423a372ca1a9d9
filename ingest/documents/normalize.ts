/**
 * The one place page text is normalised. Every reader calls this exactly once
 * per page, and every offset downstream (chunks, citations, quotes) points into
 * its output, so changing it is a re-ingest, not a tweak.
 */

// Bidi embeddings, overrides, isolates and marks: invisible, but they split
// words for search and make quotes differ from what the analyst sees.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Byte-order marks and soft hyphens are invisible in the source too.
const INVISIBLES = /[\uFEFF\u00AD]/g;
// Other C0/C1 controls (not \t or \n) are garbage from broken font encodings
// or binary debris; a space keeps the words on either side apart.
const CONTROLS = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function normalizePageText(raw: string): string {
  return (
    raw
      .replace(/\u0000/g, '')
      .replace(/\r\n?/g, '\n')
      // NFKC folds compatibility forms (ligatures like "ﬁ", full-width
      // letters, non-breaking spaces) so search and quotes match typed text.
      .normalize('NFKC')
      .replace(BIDI_CONTROLS, '')
      .replace(INVISIBLES, '')
      // U+2028/2029 and NEL are line breaks (before CONTROLS eats NEL).
      .replace(/[\u2028\u2029\u0085]/g, '\n')
      .replace(CONTROLS, ' ')
      .replace(/[ \t]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/**
 * Joins words a typesetter hyphenated across a line break ("ef-\nficiently"
 * -> "efficiently"), as poppler's pdftotext does, so quotes and searches see
 * whole words. Only for laid-out text (PDF); only a hyphen between two
 * letters at a line end, with a lower-case letter after it.
 */
export function joinHyphenatedLines(text: string): string {
  return text.replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2');
}
