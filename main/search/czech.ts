/**
 * Czech light stemmer (Dolamic & Savoy, "Indexing and stemming approaches
 * for the Czech language", 2009: the light variant, also in Lucene's
 * CzechStemmer). Snowball has no Czech or Slovak, @orama/stemmers neither;
 * without one, "systému" / "systémové" / "systémy" never meet. It strips
 * case endings and possessive suffixes, then undoes the commonest stem
 * alternations (č/c -> k, ž/z -> h, a mobile e). Slovak shares the endings
 * closely enough that the same rules help it (measured on the Debian sets;
 * see analyse.ts).
 */
function endsWith(s: readonly string[], len: number, suffix: string): boolean {
  if (suffix.length > len) return false;
  for (let i = 0; i < suffix.length; i++) if (s[len - suffix.length + i] !== suffix[i]) return false;
  return true;
}

const CASE_5 = ['atech'];
const CASE_4 = ['ětem', 'etem', 'atům'];
const CASE_3 = ['ech', 'ich', 'ích', 'ého', 'ěmi', 'emi', 'ému', 'ěte', 'ete', 'ěti', 'eti', 'ího', 'iho', 'ími', 'ímu', 'imu', 'ách', 'ata', 'aty', 'ých', 'ama', 'ami', 'ové', 'ovi', 'ými'];
const CASE_2 = ['em', 'es', 'ém', 'ím', 'ům', 'at', 'ám', 'os', 'us', 'ým', 'mi', 'ou'];
const CASE_1 = new Set(['a', 'e', 'i', 'o', 'u', 'ů', 'y', 'á', 'é', 'í', 'ý', 'ě']);

/** Longer endings first, each only on a word long enough to keep a stem of three letters or more. */
function removeCase(s: string[], len: number): number {
  if (len > 7 && CASE_5.some((x) => endsWith(s, len, x))) return len - 5;
  if (len > 6 && CASE_4.some((x) => endsWith(s, len, x))) return len - 4;
  if (len > 5 && CASE_3.some((x) => endsWith(s, len, x))) return len - 3;
  if (len > 4 && CASE_2.some((x) => endsWith(s, len, x))) return len - 2;
  if (len > 3 && CASE_1.has(s[len - 1]!)) return len - 1;
  return len;
}

function removePossessives(s: string[], len: number): number {
  if (len > 5 && ['ov', 'in', 'ův'].some((x) => endsWith(s, len, x))) return len - 2;
  return len;
}

/** The stem alternations a removed ending leaves behind: "ruce"/"ruka", "noze"/"noha", "otec"/"otce". */
function normalize(s: string[], len: number): number {
  if (endsWith(s, len, 'čt')) {
    s[len - 2] = 'c';
    s[len - 1] = 'k';
    return len;
  }
  if (endsWith(s, len, 'št')) {
    s[len - 2] = 's';
    s[len - 1] = 'k';
    return len;
  }
  const last = s[len - 1];
  if (last === 'c' || last === 'č') {
    s[len - 1] = 'k';
    return len;
  }
  if (last === 'z' || last === 'ž') {
    s[len - 1] = 'h';
    return len;
  }
  if (len > 1 && s[len - 2] === 'e') {
    s[len - 2] = s[len - 1]!;
    return len - 1;
  }
  if (len > 2 && s[len - 2] === 'ů') {
    s[len - 2] = 'o';
    return len;
  }
  return len;
}

/** The light stem of one lower-case word. */
export function czech(word: string): string {
  const s = [...word];
  let len = removeCase(s, s.length);
  len = removePossessives(s, len);
  if (len > 0) len = normalize(s, len);
  return s.slice(0, len).join('');
}
