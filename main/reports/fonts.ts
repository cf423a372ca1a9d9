/**
 * Fonts for PDF reports. PDF's built-in Helvetica only covers Western
 * European text, and quotes may be in any script, so a Unicode TrueType
 * font is embedded when one is found: an administrator's in DATA/fonts/
 * (report-regular.ttf, report-bold.ttf, report-italic.ttf), else a common
 * system font. With none, Helvetica is used and characters outside its
 * encoding are printed as `?` (and the writer says so).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';

export interface PdfFonts {
  regular: string;
  bold: string;
  italic: string;
  /** False for the Helvetica fallback: text must be reduced to WinAnsi. */
  unicode: boolean;
}

const SYSTEM: Array<[dir: string, regular: string, bold: string, italic: string]> = [
  ['/usr/share/fonts/truetype/dejavu', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'],
  ['/usr/share/fonts/dejavu', 'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'],
  ['/usr/share/fonts/truetype/liberation', 'LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf', 'LiberationSans-Italic.ttf'],
  ['C:\\Windows\\Fonts', 'arial.ttf', 'arialbd.ttf', 'ariali.ttf'],
  ['/System/Library/Fonts/Supplemental', 'Arial.ttf', 'Arial Bold.ttf', 'Arial Italic.ttf'],
  ['/Library/Fonts', 'Arial.ttf', 'Arial Bold.ttf', 'Arial Italic.ttf'],
];

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export async function findPdfFonts(dataDir: string): Promise<PdfFonts> {
  const candidates: Array<[string, string, string, string]> = [[path.join(dataDir, 'fonts'), 'report-regular.ttf', 'report-bold.ttf', 'report-italic.ttf'], ...SYSTEM];
  for (const [dir, regular, bold, italic] of candidates) {
    const files = [regular, bold, italic].map((f) => path.join(dir, f));
    if ((await Promise.all(files.map(exists))).every(Boolean)) return { regular: files[0]!, bold: files[1]!, italic: files[2]!, unicode: true };
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', unicode: false };
}

/** Windows-1252 printable characters beyond Latin-1 that Helvetica has. */
const WINANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text reduced to what the built-in Helvetica can show. */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || ch === '\n' || WINANSI_EXTRA.has(ch) ? ch : '?';
  }
  return out;
}
