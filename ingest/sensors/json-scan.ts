import { CairnError } from '../../main/core/errors.js';

/**
 * One linear pass over JSON text, before JSON.parse and before any recursive
 * walk: refuses nesting deeper than `maxDepth` (so a hostile `[[[[...` can
 * never exhaust the stack) and finds duplicate object members, which
 * JSON.parse would silently resolve to the last one.
 */
export function scanJson(text: string, maxDepth: number, filename: string): { duplicate: { key: string; line: number } | null } {
  interface Frame {
    object: boolean;
    keys: Set<string> | null;
    expectKey: boolean;
  }
  const stack: Frame[] = [];
  let duplicate: { key: string; line: number } | null = null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return { duplicate }; // unterminated: JSON.parse will say so
        let backslashes = 0;
        for (let k = j - 1; k > i && text.charCodeAt(k) === 0x5c; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        j++;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = text.slice(i + 1, j);
        if (top.keys!.has(key)) duplicate ??= { key, line: lineAt(text, i) };
        else top.keys!.add(key);
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const object = c === 0x7b;
      stack.push({ object, keys: object ? new Set() : null, expectKey: object });
      if (stack.length > maxDepth) {
        throw new CairnError('PARSE_FAILED', `${filename}: JSON nested more than ${maxDepth} levels deep (line ${lineAt(text, i)}); refused`, { input: filename });
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
    i++;
  }
  return { duplicate };
}

export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
