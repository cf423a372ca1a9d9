import { describe, expect, it } from 'vitest';
import { cjkBigrams, words } from '../../main/embed/tokens.js';
import { bulgarianStem } from '../../main/search/bulgarian.js';
import { stripHebrewPrefix } from '../../main/search/hebrew.js';
import { analyseQuery, analyseText, analysisMayHaveChanged, detectLanguage, detectLanguageInSource, ftsQuery, languageFilter, languageOnReanalysis, NO_LANGUAGES, stemWith, truncateWord } from '../../main/search/analyse.js';

// The word splitter before CJK bigrams: non-CJK text must still split exactly like this (hashed vectors depend on it).
const OLD_WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu;
const oldWords = (text: string): string[] => [...text.normalize('NFKC').toLowerCase().matchAll(OLD_WORD)].map((m) => m[0].replace(/['’_-]+$/u, ''));

const ENGLISH = 'Hepatitis B virus reactivation is a common complication in patients receiving chemotherapy for lymphoma (n=42; p<0.05).';

describe('analyseText', () => {
  it('leaves English text exactly as written, so LanceDB analyses it as before', () => {
    expect(analyseText(ENGLISH)).toEqual({ terms: ENGLISH, lang: '' });
    expect(detectLanguage(ENGLISH)).toBeNull();
  });

  it('splits Chinese and Japanese runs into dictionary words, Korean into bigrams, and keeps the rest of the text', () => {
    expect(analyseText('GPS信号 情报分析 ok').terms.split(/\s+/).filter(Boolean)).toEqual(['GPS', '信号', '情报', '分析', 'ok']);
    expect(analyseText('日本語の文章').terms.trim().split(/\s+/)).toEqual(['日本語', 'の', '文章']);
    expect(analyseText('정보분석 보고').terms.trim().split(/\s+/)).toEqual(['정보', '보분', '분석', '보고']);
    // A line wrapped inside a word (fixed-width text) is joined again; a line break between other text is kept.
    expect(analyseText('オー\nディオ').terms.trim()).toBe('オーディオ');
    expect(analyseText('GPS\n信号').terms.trim().split(/\s+/)).toEqual(['GPS', '信号']);
    expect(cjkBigrams('港')).toEqual(['港']);
    expect(cjkBigrams('정보분석')).toEqual(['정보', '보분', '분석']);
  });

  it('normalises and light-stems Arabic words in place', () => {
    expect(analyseText('صادرات النفط والغاز').terms).toBe('صادر نفط غاز');
    // Presentation forms, as PDF text layers give them, are the same words.
    expect(analyseText('\u0627\uFEDF\uFECC\uFEAE\uFE91\uFEF4\uFE94').terms).toBe(analyseText('العربية').terms);
  });

  it('keeps the word beside its truncation in Dutch, German, French, Spanish, Italian; truncation or stems only elsewhere; Portuguese to LanceDB', () => {
    const nl = analyseText('De regeringen van de buurlanden hebben nieuwe maatregelen genomen voor de controle van de grenzen.', 'nl').terms.split(' ');
    expect(nl).toEqual(expect.arrayContaining(['reger', 'regeringen']));
    const ru = analyseText('Правительство объявило о новых мерах поддержки сельского хозяйства в этом году по всей стране.', 'ru').terms.split(' ');
    expect(ru).not.toContain('правительство');
    expect(ru).toContain('прави');
    const uk = analyseText('Уряд оголосив про нові заходи підтримки сільського господарства цього року по всій країні.', 'uk').terms.split(' ');
    expect(uk).toContain(stemWith('uk', 'господарства'));
    const es = analyseText('Ejecución de tareas y procesamiento por lotes de las aplicaciones del sistema en el servidor de la red local.', 'es');
    expect(es.lang).toBe('es');
    expect(es.terms.split(' ')).toEqual(expect.arrayContaining(['procesamiento', 'proce', 'aplicaciones', 'aplic']));
    const fr = analyseText("Les gouvernements européens ont annoncé des mesures nationales pour réduire la consommation d'énergie.");
    expect(fr.lang).toBe('fr');
    expect(fr.terms.split(' ')).toEqual(expect.arrayContaining(['gouvernements', 'gouve']));
    // Measured on the Debian sets: Portuguese as written beat its truncation and its stems (LEFT_TO_LANCEDB).
    const pt = 'Execução de tarefas e processamento em lote das aplicações do sistema no servidor da rede local.';
    expect(analyseText(pt, 'pt')).toEqual({ terms: pt, lang: '' });
  });

  it('indexes a detected German passage by its words and their truncations, hyphenated parts apart', () => {
    const de = analyseText('Die Regierungen der Nachbarländer haben sich auf neue Grenzkontrollen geeinigt, nachdem die Zahl gestiegen war.');
    expect(de.lang).toBe('de');
    expect(de.terms.split(' ')).toEqual(expect.arrayContaining(['regierungen', 'regie', 'grenzkontrollen', 'grenz']));
    expect(analyseText('Правительство объявило о новых мерах поддержки сельского хозяйства в этом году по всей стране.').lang).toBe('ru');
  });

  it('splits Thai, Lao, Khmer and Myanmar runs into dictionary words, the same way in passages and queries', () => {
    const thai = analyseText('เรือสินค้าเดินทางถึงท่าเรือกรุงเทพ (GPS)').terms.split(/\s+/).filter(Boolean);
    expect(thai).toContain('ท่าเรือ');
    expect(thai).toContain('(GPS)');
    expect(analyseQuery('ท่าเรือกรุงเทพ', []).trim().split(/\s+/)).toEqual(['ท่าเรือ', 'กรุงเทพ']);
    expect(analyseText('ກະຊວງສຶກສາທິການປະກາດແຜນການສ້າງໂຮງຮຽນໃໝ່').terms.split(/\s+/)).toContain('ໂຮງຮຽນ');
    // Khmer text often marks word breaks with zero-width spaces; those go too.
    expect(analyseText('កម្មវិធី\u200Bគ្រប់គ្រង​ប័ណ្ណសារ').terms.trim().split(/\s+/)).toEqual(['កម្មវិធី', 'គ្រប់គ្រង', 'ប័ណ្ណសារ']);
    expect(analyseText('မြန်မာဘာသာစကား').terms.trim().split(/\s+/).length).toBeGreaterThan(1);
  });

  it('stems Bulgarian without throwing (the packaged stemmer wrote into its string)', () => {
    expect(bulgarianStem('библиотеки')).toBe('библиотяк');
    expect(bulgarianStem('учебници')).toBe(bulgarianStem('учебник'));
    expect(bulgarianStem('компютри')).toBe(bulgarianStem('компютър'));
    // The index truncates Bulgarian (analysis version 6): "учебници" and "учебник" meet there too.
    expect(analyseText('Учениците от селските училища получиха нови учебници и компютри от министерството.', 'bg').terms.split(' ')).toContain(truncateWord('учебник'));
    expect(stemWith('bg', 'учебници')).toBe(bulgarianStem('учебник'));
  });

  it('does not guess a language for text too short to tell', () => {
    expect(analyseText('Die Regierung').lang).toBe('');
  });
});

describe('detectLanguageInSource', () => {
  const german = (i: number) => `Die Regierung hat am Montag ${i} beschlossen, die Bahnverbindungen zwischen den Städten auszubauen und neue Lagerhäuser für Getreide zu errichten.`;
  const english = 'The convoy reached the harbour at dawn and the trucks were unloaded by the crew before noon.';

  it('gives every passage of a one-language source the language franc found for its first ones', () => {
    for (let i = 0; i < 40; i++) expect(detectLanguageInSource(german(i), 'src-de')).toBe('de');
  });

  it('still leaves an English passage of a foreign source unstemmed', () => {
    for (let i = 0; i < 20; i++) detectLanguageInSource(german(i), 'src-de-2');
    expect(detectLanguageInSource(english, 'src-de-2')).toBeNull();
  });

  it('keeps asking franc for every passage of a source whose first passages disagreed', () => {
    const french = 'Le gouvernement a décidé lundi de développer les liaisons ferroviaires entre les villes et de construire de nouveaux entrepôts.';
    expect(detectLanguageInSource(german(0), 'src-mixed')).toBe('de');
    expect(detectLanguageInSource(french, 'src-mixed')).toBe('fr');
    for (let i = 1; i < 30; i++) detectLanguageInSource(german(i), 'src-mixed');
    expect(detectLanguageInSource(french, 'src-mixed')).toBe('fr');
  });
});

describe('analyseQuery', () => {
  it('returns an English query unchanged when the store holds no stemmed language', () => {
    expect(analyseQuery('what causes vessel delays?', [])).toBe('what causes vessel delays?');
    expect(ftsQuery('what causes vessel delays?', 'terms', NO_LANGUAGES)).toBe('what causes vessel delays?');
  });

  it('adds the stems of the store languages the query may be in', () => {
    expect(languageFilter('Regierung und Stürme', { languages: ['de', 'ru'], dominant: null })).toEqual(['de']);
    expect(languageFilter('vessel delays at the harbour', { languages: ['de'], dominant: null })).toEqual([]);
    // In a mostly German store a query is stemmed as German whatever franc makes of a few words.
    expect(languageFilter('vessel delays at the harbour', { languages: ['de', 'fr'], dominant: 'de' })).toEqual(['de']);
    expect(analyseQuery('Regierungen', ['de']).split(' ')).toEqual(['Regierungen', 'regie']);
  });

  it('keeps the earlier query-side Arabic forms for a store still indexed on raw text', () => {
    expect(ftsQuery('النفط', 'text', NO_LANGUAGES)).toBe('النفط نفط');
  });
});

describe('words', () => {
  it('splits CJK runs into bigrams, also inside mixed tokens', () => {
    expect(words('GPS定位 情报分析报告')).toEqual(['gps', '定位', '情报', '报分', '分析', '析报', '报告']);
    expect(words('東京港では')).toEqual(['東京', '京港', '港で', 'では']);
  });

  it('splits non-CJK text exactly as before', () => {
    const text = `${ENGLISH} Die Regierungen, l'énergie, Правительство — النفط؛ don't stop_words-here ﬁnance Ⅻ 3.14`;
    expect(words(text)).toEqual(oldWords(text));
  });
});

describe('truncation (analysis version 6)', () => {
  it('cuts a word to its first five characters, counting characters, not UTF-16 units', () => {
    expect(truncateWord('kasutajaliidese')).toBe('kasut');
    expect(truncateWord('kasut')).toBe('kasut');
    expect(truncateWord('öö')).toBe('öö');
    expect(truncateWord('𝐀𝐁𝐂𝐃𝐄𝐅')).toBe('𝐀𝐁𝐂𝐃𝐄');
  });

  it('indexes an Estonian passage by truncated words, and a query meets it in another form', () => {
    const et = 'Rakendus pakub lihtsat kasutajaliidest failide haldamiseks ning võimaldab kaustade sisu kiiresti sirvida ja otsida.';
    const a = analyseText(et);
    expect(a.lang).toBe('et');
    expect(a.terms.split(' ')).toContain('kasut');
    expect(analyseQuery('kasutajaliides', ['et']).split(' ')).toContain('kasut');
  });

  it('detects again, on re-analysis, only passages stored with no language that are not plainly English', () => {
    const et = 'Rakendus pakub lihtsat kasutajaliidest failide haldamiseks ning võimaldab kaustade sisu kiiresti sirvida ja otsida.';
    expect(analysisMayHaveChanged(et, '')).toBe(true);
    expect(languageOnReanalysis(et, '')).toBe('et');
    const en = 'The application offers a simple interface for managing files and lets you browse folders quickly.';
    expect(analysisMayHaveChanged(en, '')).toBe(false);
    expect(languageOnReanalysis(en, '')).toBeNull();
    // A row stored in a language now truncated is analysed again without asking franc.
    expect(analysisMayHaveChanged('whatever', 'fi')).toBe(true);
    // From version 6 on, only Vietnamese passages (syllable pairs, version 7).
    expect(analysisMayHaveChanged(et, '', 6)).toBe(false);
    expect(analysisMayHaveChanged('whatever', 'fi', 6)).toBe(false);
    expect(analysisMayHaveChanged('Chương trình này quản lý các tệp và thư mục trên máy tính.', '', 6)).toBe(true);
  });

  it('pairs the syllables of a Vietnamese query, typed composed or decomposed, within phrases only', () => {
    for (const q of ['trình duyệt, web', 'trình duyệt, web'.normalize('NFD')]) expect(analyseQuery(q, []).split(' ')).toEqual(expect.arrayContaining(['trìnhduyệt']));
    expect(analyseQuery('trình duyệt, web', [])).not.toContain('duyệtweb');
    // French shares â, ê, ô: nothing is added.
    expect(analyseQuery('fenêtre du côté château', [])).toBe('fenêtre du côté château');
  });

  it('leaves English as written', () => {
    const en = 'The application offers a simple interface for managing files and lets you browse folders quickly.';
    expect(analyseText(en)).toEqual({ terms: en, lang: '' });
  });
});

describe('Hebrew prefixes (analysis version 6)', () => {
  it('strips one joined conjunction, article or preposition when three letters remain', () => {
    expect(stripHebrewPrefix('והבית')).toBe('בית');
    expect(stripHebrewPrefix('לבית')).toBe('בית');
    expect(stripHebrewPrefix('בית')).toBe('בית');
    expect(stripHebrewPrefix('ספר')).toBe('ספר');
  });
});

describe('Malay (analysis version 6)', () => {
  it('is stemmed with the Indonesian stemmer, so affixed forms meet', () => {
    const ms = 'Aplikasi ini membolehkan pengguna menguruskan fail dan folder dengan mudah serta mencari dokumen yang disimpan di dalam komputer mereka.';
    const a = analyseText(ms);
    expect(['ms', 'id']).toContain(a.lang);
    expect(a.terms.split(' ')).toContain(stemWith('id', 'menguruskan'));
    expect(stemWith('ms', 'menguruskan')).toBe(stemWith('id', 'menguruskan'));
    expect(stemWith('ms', 'menguruskan')).not.toBe('menguruskan');
  });
});

describe('Catalan (analysis version 6)', () => {
  it('is detected and truncated', () => {
    const ca = "L'aplicació permet gestionar els fitxers i les carpetes de manera senzilla i cercar documents desats a l'ordinador. També es poden compartir amb altres persones de la xarxa local sense cap configuració addicional.";
    const a = analyseText(ca);
    expect(a.lang).toBe('ca');
    expect(a.terms.split(' ')).toContain(truncateWord('aplicació'));
  });

  it('truncates the word after an elided article in French and Catalan, the word before the apostrophe elsewhere', () => {
    const fr = analyseText("Les gouvernements européens ont annoncé des mesures nationales pour réduire la consommation d'énergie.");
    expect(fr.terms.split(' ')).toEqual(expect.arrayContaining(['énerg', "d'énergie"]));
    expect(analyseQuery("l'énergie", ['fr']).split(' ')).toContain('énerg');
    const tr = analyseText("İstanbul'da yaşayan kullanıcılar için uygulama, dosyaları ve klasörleri kolayca yönetmeyi ve aramayı sağlar.", 'tr');
    expect(tr.terms.split(' ')).toContain('istan');
  });
});
