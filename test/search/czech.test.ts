import { describe, expect, it } from 'vitest';
import { analyseText, detectLanguage, stemWith, truncateWord } from '../../main/search/analyse.js';
import { czech } from '../../main/search/czech.js';

describe('Czech light stemmer', () => {
  it('gives the case forms of a noun one stem, alternations undone', () => {
    for (const forms of [
      ['knihovna', 'knihovny', 'knihovně', 'knihovnou', 'knihoven'],
      ['soubor', 'souboru', 'soubory', 'souborů', 'souborech'],
      ['ruka', 'ruce'],
      ['noha', 'noze'],
      ['počítač', 'počítače', 'počítačů'],
    ]) {
      expect(new Set(forms.map(czech)), forms.join('/')).toHaveProperty('size', 1);
    }
  });

  it('leaves short words alone, keeps different words apart, and joins a mobile e (domeček / domečku)', () => {
    expect(czech('pro')).toBe('pro');
    expect(czech('soubor')).not.toBe(czech('systém'));
    expect(czech('domeček')).toBe(czech('domečku'));
  });

  it('is what the answer composer stems Czech and Slovak with; the index truncates them (analysis version 6)', () => {
    const cs = 'Knihovna poskytuje rozhraní pro práci se soubory a adresáři v operačním systému Linux.';
    const sk = 'Knižnica poskytuje rozhranie jazyka Perl k unixovému systémovému volaniu a súborom.';
    expect(detectLanguage(cs)).toBe('cs');
    expect(detectLanguage(sk)).toBe('sk');
    expect(stemWith('cs', 'soubory')).toBe(czech('soubory'));
    expect(stemWith('sk', 'súborom')).toBe(czech('súborom'));
    expect(analyseText(cs).terms.split(' ')).toContain(truncateWord('soubory'));
    expect(analyseText(sk).terms.split(' ')).toContain(truncateWord('súborom'));
    expect(truncateWord('súborom')).toBe('súbor');
  });
});

describe('Polish (nlp.js stemmer)', () => {
  it('is detected and stemmed, so case forms meet', () => {
    const pl = 'Biblioteka zapewnia interfejs do obsługi plików i katalogów w systemie operacyjnym Linux oraz w innych systemach.';
    expect(detectLanguage(pl)).toBe('pl');
    const terms = analyseText(pl).terms.split(' ');
    // "biblioteki" and "obsługa" (other cases than the passage's "Biblioteka", "obsługi") meet it.
    const other = analyseText('Nowe wersje biblioteki ułatwiają obsługa plików.', 'pl').terms.split(' ');
    expect(terms).toContain(other[2]);
    expect(terms).toContain(other[4]);
    expect(other[2]).toBe(terms[0]);
  });
});
