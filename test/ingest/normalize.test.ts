import { describe, expect, it } from 'vitest';
import { normalizePageText } from '../../ingest/documents/normalize.js';

describe('normalizePageText', () => {
  it('folds compatibility forms (NFKC): ligatures, full-width letters, non-breaking spaces', () => {
    expect(normalizePageText('e\uFB03cient ＡＢＣ a\u00A0b')).toBe('efficient ABC a b');
  });

  it('turns CRLF and CR into LF and keeps at most one blank line', () => {
    expect(normalizePageText('one\r\ntwo\rthree\n\n\n\n\nfour')).toBe('one\ntwo\nthree\n\nfour');
  });

  it('removes NUL, bidi controls, BOM and soft hyphens', () => {
    expect(normalizePageText('\uFEFFab\u0000c \u202Bعربي\u202C \u2066x\u2069 co\u00ADop')).toBe('abc عربي x coop');
  });

  it('collapses runs of spaces and tabs and trims lines and the page', () => {
    expect(normalizePageText('  a \t\t b   \n   c  \n')).toBe('a b\nc');
  });

  it('replaces garbage control glyphs with spaces so words stay apart', () => {
    expect(normalizePageText('Overview\u0002of\u0002the\u0002model')).toBe('Overview of the model');
  });

  it('is idempotent', () => {
    const once = normalizePageText('A\u00A0\u00A0b\r\n\r\n\r\nc\u200F');
    expect(normalizePageText(once)).toBe(once);
  });
});

describe('joinHyphenatedLines', () => {
  it('joins a word hyphenated across lines, as pdftotext does, and nothing else', async () => {
    const { joinHyphenatedLines } = await import('../../ingest/documents/normalize.js');
    expect(joinHyphenatedLines('compiled ef-\nficiently, a type-specialized\ntrace')).toBe('compiled efficiently, a type-specialized\ntrace');
    expect(joinHyphenatedLines('see section 4-\n5 and A-\nB')).toBe('see section 4-\n5 and A-\nB');
  });
});
