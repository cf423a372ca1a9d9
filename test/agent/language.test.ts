// Term matching in the passage's own language (main/agent/language.ts): the
// extractive composer's questions in German, Russian, Japanese... are about
// their content words, not their question words, and inflections meet.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeExtractive } from '../../main/agent/extractive.js';
import { termLanguage, termsIn } from '../../main/agent/language.js';
import { stemmedTerms } from '../../main/agent/terms.js';
import type { ScoredChunk } from '../../main/core/types.js';

const passage = (id: string, text: string): ScoredChunk => ({ id, sourceId: `s${id}`, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: '', title: id, score: 1 });

describe('termLanguage', () => {
  it('tells languages apart by script, then by the stop words a text uses', () => {
    const cases: [string, string][] = [
      ['Die Stadt wurde im Jahr 1120 von den Herzögen gegründet und hat heute etwa 230.000 Einwohner.', 'de'],
      ["Lyon est la troisième ville de France par sa population et elle a été fondée par les Romains.", 'fr'],
      ['Sevilla es la capital de Andalucía y la cuarta ciudad más poblada de España.', 'es'],
      ['Москва является столицей России и крупнейшим городом страны.', 'ru'],
      ['القاهرة هي عاصمة مصر وأكبر مدنها.', 'ar'],
      ['富士山は日本で最も高い山です。', 'ja'],
      ['黄河是中国第二长的河流。', 'zh'],
      ['서울은 대한민국의 수도입니다.', 'ko'],
      ['ภาษาไทยเป็นภาษาที่สวยงาม', 'th'],
      ['दिल्ली भारत की राजधानी है।', 'hi'],
      ['Hà Nội là thủ đô của Việt Nam và có khoảng tám triệu dân.', 'vi'],
      ['The tanker Blue Heron arrived at Port Sarn on 12 March with a cargo of diesel.', 'en'],
      // Names and loan words decide nothing: "Le Monde" and "Die Hard" in English text stay English.
      ['The Die Hard film was reviewed in Le Monde and in Der Spiegel when it was released.', 'en'],
      ['', 'en'],
      ['1234 5678', 'en'],
    ];
    for (const [text, lang] of cases) expect([text, termLanguage(text)]).toEqual([text, lang]);
  });

  const SQUAD = path.resolve(process.cwd(), '../shared/eval/qa/squad-dev-sample.json');
  (existsSync(SQUAD) ? it : it.skip)('takes every English SQuAD paragraph as English, so English answers keep their terms', async () => {
    const set = JSON.parse(await readFile(SQUAD, 'utf8')) as { data: { paragraphs: { context: string }[] }[] };
    const contexts = set.data.flatMap((a) => a.paragraphs.map((p) => p.context));
    expect(contexts.length).toBeGreaterThan(100);
    expect(contexts.filter((c) => termLanguage(c) !== 'en')).toEqual([]);
  });
});

describe('termsIn', () => {
  it('is stemmedTerms for English', () => {
    const text = 'Which vessels arrived at the harbours of Port Sarn before the storms?';
    expect(termsIn(text, 'en')).toEqual(stemmedTerms(text));
  });

  it('drops each language’s stop and question words and stems the rest', () => {
    expect(termsIn('Wie viele Einwohner hat Freiburg heute?', 'de')).toEqual(['einwohn', 'freiburg', 'heut']);
    expect(termsIn("Quelle est l'altitude du mont Blanc ?", 'fr')).toEqual(['altitud', 'mont', 'blanc']);
    // Inflections meet: Москва / Москвы, основана / основан.
    expect(termsIn('Кем была основана Москва?', 'ru')).toEqual(termsIn('основан Москвы', 'ru'));
    expect(termsIn('富士山の標高は何メートルですか？', 'ja')).toEqual(['富士山', '標高', 'メートル']);
    expect(termsIn('黄河发源于哪里？', 'zh')).toEqual(['黄河', '发源']);
    // Korean: the question word goes, particles come off (불국사를 / 불국사는), then syllable bigrams.
    expect(termsIn('불국사를 창건한 사람은 누구인가?', 'ko')).toEqual(['불국', '국사', '창건', '사람']);
    expect(termsIn('불국사는 751년에 김대성이 창건하였다.', 'ko')).toEqual(['불국', '국사', '751', '년', '김대', '대성', '창건']);
    expect(termsIn('متى تأسست القاهرة؟', 'ar')).not.toContain('متى');
    // Hindi: question and stop words go; "जाना" / "जाता" and "शहरों" / "शहर" meet.
    expect(termsIn('किस नाम से जाना है?', 'hi')).toEqual(['नाम', ...termsIn('जाता', 'hi')]);
    expect(termsIn('शहरों', 'hi')).toEqual(termsIn('शहर', 'hi'));
    // Thai SARA AM survives (NFKC would split it and the segmenter with it).
    expect(termsIn('แม่น้ำอะไรไหลผ่านกรุงเทพมหานคร', 'th')).toEqual(['แม่น้ำ', 'ไหล', 'ผ่าน', 'กรุงเทพมหานคร']);
  });
});

describe('composeExtractive in other languages', () => {
  const cases: [string, string, string][] = [
    ['Wie viele Einwohner hat Freiburg heute?', 'Die Stadt Freiburg liegt im Südwesten Deutschlands. Sie wurde im Jahr 1120 gegründet. Heute hat die Stadt etwa 230.000 Einwohner.', '230.000'],
    ['Кем была основана Москва?', 'Москва является столицей России. Город был основан в 1147 году князем Юрием Долгоруким. Население Москвы превышает двенадцать миллионов человек.', 'Долгоруким'],
    ['富士山の標高は何メートルですか？', '富士山は日本で最も高い山です。標高は三千七百七十六メートルです。二〇一三年に世界文化遺産に登録されました。', '三千七百七十六'],
    ['متى تأسست القاهرة؟', 'القاهرة هي عاصمة مصر. تأسست المدينة في عام 969 على يد الفاطميين. يبلغ عدد سكان القاهرة أكثر من عشرين مليون نسمة.', '969'],
    ['लाल किला कब बनाया गया था?', 'दिल्ली भारत की राजधानी है। इस शहर की जनसंख्या लगभग तीन करोड़ है। लाल किला सत्रहवीं शताब्दी में बनाया गया था।', 'सत्रहवीं'],
    ['Hồ Hoàn Kiếm nằm ở đâu?', 'Hà Nội là thủ đô của Việt Nam. Thành phố có khoảng tám triệu dân. Hồ Hoàn Kiếm nằm ở trung tâm thành phố.', 'trung tâm'],
  ];
  for (const [question, text, answer] of cases) {
    it(`finds the sentence answering "${question}"`, () => {
      const r = composeExtractive(question, [passage('1', text)]);
      expect(r.found).toBe(true);
      expect(r.sentences[0]?.text).toContain(answer);
    });
  }
});
