/**
 * Finding a cited quote among the text runs of a rendered page (PDF text
 * layer spans, in reading order). The page text a passage was cut from and
 * the viewer's text layer come from the same PDF but not byte for byte
 * (whitespace, hyphens at line ends, ligatures), so both are compared as
 * letters and digits only, case-folded. Pure: unit-tested without a browser.
 */

/** Letters and digits only, NFKC, lower case; with each kept character's run index. */
function fold(runs: readonly string[]): { text: string; run: number[] } {
  let text = '';
  const run: number[] = [];
  runs.forEach((r, i) => {
    for (const ch of r.normalize('NFKC').toLowerCase()) {
      if (/[\p{L}\p{N}]/u.test(ch)) {
        text += ch;
        run.push(i);
      }
    }
  });
  return { text, run };
}

function foldText(s: string): string {
  return fold([s]).text;
}

/**
 * Indices of the runs that hold `quote`, in order; empty when it is not on
 * the page. When the whole quote is not found (the text layer split it
 * differently), its longest findable head or tail is used, down to 12
 * characters.
 */
export function findQuoteRuns(runs: readonly string[], quote: string): number[] {
  const page = fold(runs);
  const q = foldText(quote);
  if (q.length === 0 || page.text.length === 0) return [];
  const hit = (needle: string): [number, number] | null => {
    const at = page.text.indexOf(needle);
    return at < 0 ? null : [at, at + needle.length];
  };
  let span = hit(q);
  for (let n = q.length - Math.ceil(q.length / 4); !span && n >= 12; n = Math.floor(n * 0.75)) {
    span = hit(q.slice(0, n)) ?? hit(q.slice(q.length - n));
  }
  if (!span) return [];
  const out = new Set<number>();
  for (let i = span[0]; i < span[1]; i++) out.add(page.run[i]!);
  return [...out].sort((a, b) => a - b);
}

/** A box in image pixels scaled to the displayed size, as CSS percentages of the image. */
export function boxPercent(bbox: readonly [number, number, number, number], width: number, height: number): { left: number; top: number; width: number; height: number } {
  const [x0, y0, x1, y1] = bbox;
  const clamp = (v: number): number => Math.min(100, Math.max(0, v));
  return {
    left: clamp((x0 / width) * 100),
    top: clamp((y0 / height) * 100),
    width: clamp(((x1 - x0) / width) * 100),
    height: clamp(((y1 - y0) / height) * 100),
  };
}
