/**
 * Bulgarian light stemmer (Nakov 2003, as in Lucene's BulgarianStemmer).
 * @orama/stemmers ships a port that writes into its input string, which
 * strict-mode JavaScript forbids: it throws on common words ("библиотеки",
 * any "-ци", "-зи", "-си", "-ен" form), and a Russian passage that franc
 * took for Bulgarian then stopped ingest. This port works on an array.
 */
function endsWith(s: readonly string[], len: number, suffix: string): boolean {
  if (suffix.length > len) return false;
  for (let i = 0; i < suffix.length; i++) if (s[len - suffix.length + i] !== suffix[i]) return false;
  return true;
}

function removeArticle(s: string[], len: number): number {
  if (len > 6 && endsWith(s, len, 'ият')) return len - 3;
  if (len > 5 && ['ът', 'то', 'те', 'та', 'ия'].some((x) => endsWith(s, len, x))) return len - 2;
  if (len > 4 && endsWith(s, len, 'ят')) return len - 2;
  return len;
}

function removePlural(s: string[], len: number): number {
  if (len > 6) {
    if (endsWith(s, len, 'овци')) return len - 3; // овци -> о
    if (endsWith(s, len, 'ове')) return len - 3;
    if (endsWith(s, len, 'еве')) {
      s[len - 3] = 'й'; // еве -> й
      return len - 2;
    }
  }
  if (len > 5) {
    if (endsWith(s, len, 'ища')) return len - 3;
    if (endsWith(s, len, 'та')) return len - 2;
    if (endsWith(s, len, 'ци')) {
      s[len - 2] = 'к'; // ци -> к
      return len - 1;
    }
    if (endsWith(s, len, 'зи')) {
      s[len - 2] = 'г'; // зи -> г
      return len - 1;
    }
    if (s[len - 3] === 'е' && s[len - 1] === 'и') {
      s[len - 3] = 'я'; // е?и -> я?
      return len - 1;
    }
  }
  if (len > 4) {
    if (endsWith(s, len, 'си')) {
      s[len - 2] = 'х'; // си -> х
      return len - 1;
    }
    if (endsWith(s, len, 'и')) return len - 1;
  }
  return len;
}

export function bulgarianStem(word: string): string {
  // Bulgarian is all in the Basic Multilingual Plane: one UTF-16 unit a letter.
  const s = word.split('');
  let len = s.length;
  if (len < 4) return word;
  if (len > 5 && endsWith(s, len, 'ища')) return word.slice(0, len - 3);
  len = removeArticle(s, len);
  len = removePlural(s, len);
  if (len > 3) {
    if (endsWith(s, len, 'я')) len--;
    if (endsWith(s, len, 'а') || endsWith(s, len, 'о') || endsWith(s, len, 'е')) len--;
  }
  if (len > 4 && endsWith(s, len, 'ен')) {
    s[len - 2] = 'н'; // ен -> н
    len--;
  }
  if (len > 5 && s[len - 2] === 'ъ') {
    s[len - 2] = s[len - 1] as string; // ъN -> N
    len--;
  }
  return s.slice(0, len).join('');
}
