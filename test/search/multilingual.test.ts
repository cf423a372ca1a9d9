import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { BaselineFtsIndex } from '../../main/store/baseline.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

/**
 * Retrieval in languages LanceDB's default analyser (English stemmer,
 * whitespace and punctuation split) handles badly: the query word sits
 * inside a longer CJK run, or carries another inflection, article or
 * prefix than the passage. Each set is a real store and a real LanceDB
 * baseline index over the same passages.
 */
const embedder = new HashedEmbedder(256);

interface Case {
  q: string;
  want: string;
  /** True where the plain LanceDB index was checked to miss the passage in its top 1. */
  baselineMisses: boolean;
}

const SETS: Record<string, { passages: Record<string, string>; cases: Case[] }> = {
  chinese: {
    passages: {
      oil: '海关总署发布了最新的原油进口统计数据。',
      port: '情报分析报告指出港口的集装箱吞吐量持续增长。',
      weather: '气象部门预计明天沿海地区将出现大风天气。',
    },
    cases: [
      { q: '分析', want: 'port', baselineMisses: true },
      { q: '原油进口', want: 'oil', baselineMisses: true },
      { q: '大风', want: 'weather', baselineMisses: true },
      { q: '集装箱吞吐量', want: 'port', baselineMisses: true },
    ],
  },
  japanese: {
    passages: {
      ships: '東京港では昨日から貨物船の入港が増えている。',
      radar: '防衛省は新しいレーダー施設の建設計画を発表した。',
      rail: '地震の後、鉄道の運行は午後に再開された。',
    },
    cases: [
      { q: '貨物船', want: 'ships', baselineMisses: true },
      { q: 'レーダー施設', want: 'radar', baselineMisses: true },
      { q: '鉄道', want: 'rail', baselineMisses: true },
    ],
  },
  korean: {
    passages: {
      report: '정보분석보고서는 항구의 물동량이 증가했다고 밝혔다.',
      storm: '기상청은 내일 해안 지역에 강풍이 불 것으로 예보했다.',
    },
    cases: [
      { q: '분석', want: 'report', baselineMisses: true },
      { q: '강풍', want: 'storm', baselineMisses: true },
    ],
  },
  // No spaces between words: a query word sits inside a run of the passage (ICU dictionary segmentation, main/search/analyse.ts).
  thai: {
    passages: {
      health: 'กระทรวงสาธารณสุขประกาศมาตรการใหม่เพื่อควบคุมโรคไข้เลือดออก',
      port: 'เรือสินค้าเดินทางถึงท่าเรือกรุงเทพเมื่อเช้าวันนี้',
      oil: 'ราคาน้ำมันดิบที่ตลาดโลกเพิ่มขึ้นอย่างต่อเนื่อง',
    },
    cases: [
      { q: 'ท่าเรือ', want: 'port', baselineMisses: true },
      { q: 'น้ำมัน', want: 'oil', baselineMisses: true },
      { q: 'มาตรการ', want: 'health', baselineMisses: true },
    ],
  },
  lao: {
    passages: {
      school: 'ກະຊວງສຶກສາທິການປະກາດແຜນການສ້າງໂຮງຮຽນໃໝ່',
      rice: 'ຊາວນາເກັບກ່ຽວເຂົ້າໄດ້ຫຼາຍກວ່າປີກາຍ',
    },
    cases: [{ q: 'ໂຮງຮຽນ', want: 'school', baselineMisses: true }],
  },
  // LanceDB's tokenizer cuts Khmer at its (non-alphabetic) signs, so on two passages its fragments match too.
  khmer: {
    passages: {
      archive: 'កម្មវិធីគ្រប់គ្រងប័ណ្ណសាររបស់ឯកសារ',
      config: 'ប្រព័ន្ធគ្រប់គ្រងការកំណត់រចនាសម្ព័ន្ធដេបៀន',
    },
    cases: [
      { q: 'ប័ណ្ណសារ', want: 'archive', baselineMisses: false },
      { q: 'ប្រព័ន្ធ', want: 'config', baselineMisses: false },
      { q: 'កម្មវិធី', want: 'archive', baselineMisses: false },
    ],
  },
  bulgarian: {
    // The stemmer @orama/stemmers ships threw on these words ("библиотеки", "-ци"), which stopped ingest.
    passages: {
      libs: 'Библиотеки за разработка на приложения, които използват графичния интерфейс на системата и нейните компоненти.',
      pupils: 'Учениците от селските училища получиха нови учебници и компютри от министерството на образованието тази година.',
    },
    cases: [
      { q: 'система', want: 'libs', baselineMisses: true },
      { q: 'учебник', want: 'pupils', baselineMisses: true },
      { q: 'компютър', want: 'pupils', baselineMisses: true },
    ],
  },
  arabic: {
    passages: {
      oil: 'ارتفعت صادرات النفط الخام هذا الشهر بعد قرار الحكومة.',
      ship: 'وصلت السفينة إلى الميناء صباح اليوم محملة بالقمح.',
      school: 'أعلنت الوزارة عن ميزانية جديدة للمدارس في المحافظات.',
    },
    cases: [
      { q: 'نفط', want: 'oil', baselineMisses: true },
      { q: 'والسفينة', want: 'ship', baselineMisses: true },
      { q: 'ميناء', want: 'ship', baselineMisses: true },
      { q: 'المدارس الميزانية', want: 'school', baselineMisses: false },
    ],
  },
  german: {
    passages: {
      border: 'Die Regierungen der Nachbarländer haben sich auf neue Grenzkontrollen geeinigt, nachdem die Zahl der Übertritte gestiegen war.',
      harbour: 'Im Hafen von Hamburg wurden gestern mehrere Frachtschiffe mit Getreide entladen, und die Lagerhäuser waren danach bis unter das Dach gefüllt.',
      storm: 'Das Wetteramt warnt vor schweren Stürmen an der Küste; die Bahnverbindungen in den nördlichen Landkreisen könnten unterbrochen werden.',
      // A hyphenated compound: each part is stemmed, so its inflected first part meets the query's base form.
      tools: 'Die Befehlszeilen-Werkzeuge des Pakets verwalten die Softwarequellen des Systems und laden neue Versionen automatisch herunter.',
    },
    cases: [
      { q: 'Regierung', want: 'border', baselineMisses: true },
      { q: 'Lagerhaus', want: 'harbour', baselineMisses: false },
      { q: 'Sturm Küste', want: 'storm', baselineMisses: false },
      { q: 'Bahnverbindung', want: 'storm', baselineMisses: true },
      { q: 'Frachtschiff', want: 'harbour', baselineMisses: false },
      { q: 'Befehlszeile', want: 'tools', baselineMisses: true },
    ],
  },
  french: {
    passages: {
      energy: "Les gouvernements européens ont annoncé des mesures nationales pour réduire la consommation d'énergie pendant cet hiver difficile.",
      port: 'Le navire est arrivé au port de Marseille avec une cargaison de céréales destinée aux marchés des pays voisins du sud.',
      flood: 'Les pluies torrentielles ont provoqué des inondations importantes dans plusieurs villages de montagne au cours de la nuit.',
    },
    cases: [
      { q: 'gouvernement', want: 'energy', baselineMisses: false },
      { q: 'navires', want: 'port', baselineMisses: false },
      { q: 'pluie torrentielle', want: 'flood', baselineMisses: false },
    ],
  },
  russian: {
    passages: {
      gov: 'Правительство объявило о новых мерах поддержки сельского хозяйства и фермеров в этом году по всей стране.',
      port: 'Грузовое судно прибыло в порт Новороссийска с крупной партией пшеницы, предназначенной для экспорта в соседние страны.',
      flood: 'Сильные дожди вызвали наводнения в нескольких горных деревнях на юге страны, жители были эвакуированы ночью.',
    },
    cases: [
      { q: 'правительства', want: 'gov', baselineMisses: true },
      { q: 'пшеница', want: 'port', baselineMisses: true },
      { q: 'наводнение', want: 'flood', baselineMisses: true },
    ],
  },
  // Analysis version 6: Nepali and Slovenian stemmed (main/search/analyse.ts).
  nepali: {
    passages: {
      flood: 'काठमाडौं उपत्यकामा भारी वर्षाका कारण बाढी आएको छ र धेरै घरहरू डुबानमा परेका छन्। सरकारले प्रभावित क्षेत्रमा राहत टोलीहरू पठाएको छ र स्थानीय प्रशासनले सतर्कता अपनाउन आग्रह गरेको छ।',
      school: 'विद्यालयहरूमा नयाँ शैक्षिक सत्र सुरु भएको छ र विद्यार्थीहरूले किताबहरू प्राप्त गरेका छन्। शिक्षकहरूले पहिलो दिनदेखि नै नियमित कक्षा सञ्चालन गरे र अभिभावकहरूले यसलाई स्वागत गरेका छन्।',
      market: 'बजारमा तरकारी र फलफूलको मूल्य बढेको छ, जसले गर्दा उपभोक्ताहरू चिन्तित छन्। व्यापारीहरूले सीमा नाकामा ढुवानी अवरुद्ध हुँदा आपूर्ति कम भएको बताए र मूल्य अझै बढ्न सक्ने चेतावनी दिए।',
    },
    cases: [
      { q: 'घर', want: 'flood', baselineMisses: true },
      { q: 'उपभोक्ता', want: 'market', baselineMisses: false },
      { q: 'शिक्षक', want: 'school', baselineMisses: false },
    ],
  },
  slovenian: {
    passages: {
      gov: 'Vlada je napovedala nove ukrepe za podporo kmetijstvu in kmetom po vsej državi v tem letu, je sporočilo ministrstvo.',
      port: 'Tovorna ladja je prispela v koprsko pristanišče z velikim tovorom pšenice, namenjene izvozu v sosednje države.',
      flood: 'Močno deževje je povzročilo poplave v več gorskih vaseh na jugu države, prebivalce so ponoči evakuirali.',
    },
    cases: [
      { q: 'kmetijstvo', want: 'gov', baselineMisses: true },
      { q: 'pristanišča', want: 'port', baselineMisses: true },
      { q: 'poplava', want: 'flood', baselineMisses: true },
    ],
  },
  // Analysis version 6: truncation, and Hebrew's joined prefixes stripped before it.
  estonian: {
    passages: {
      files: 'Rakendus pakub lihtsat kasutajaliidest failide haldamiseks ning võimaldab kaustade sisu kiiresti sirvida ja otsida.',
      weather: 'Ilmateenistus hoiatab tugeva tuule eest rannikul; praamiühendused saartega võivad homme hommikul katkeda.',
      port: 'Sadamasse saabus eile mitu kaubalaeva teraviljaga ning laod olid pärast mahalaadimist peaaegu täis.',
    },
    cases: [
      { q: 'kasutajaliides', want: 'files', baselineMisses: true },
      { q: 'praamiühendus', want: 'weather', baselineMisses: false },
      { q: 'kaubalaev', want: 'port', baselineMisses: true },
    ],
  },
  hebrew: {
    passages: {
      port: 'הספינה הגיעה לנמל חיפה עם מטען גדול של חיטה שנועד לייצוא למדינות השכנות באזור.',
      gov: 'הממשלה הודיעה על צעדים חדשים לתמיכה בחקלאים ובחקלאות בכל רחבי המדינה השנה.',
      flood: 'גשמים עזים גרמו להצפות בכמה כפרים בהרים בדרום הארץ, והתושבים פונו בלילה.',
    },
    cases: [
      { q: 'נמל', want: 'port', baselineMisses: true },
      { q: 'חקלאות', want: 'gov', baselineMisses: true },
      { q: 'כפרים', want: 'flood', baselineMisses: false },
    ],
  },
  // Analysis version 7: syllable pairs. The decoy holds the query's syllables more often, but never side by side.
  vietnamese: {
    passages: {
      browser: 'Trình duyệt web nhanh giúp bạn đọc tin tức, xem video và tải tệp xuống từ mạng mỗi ngày.',
      program: 'Chương trình này quản lý các tệp và thư mục trên máy tính của bạn một cách an toàn.',
      decoy: 'Ông trình bày kế hoạch; bà duyệt và trình lại chương mới, rồi duyệt chương cuối.',
    },
    cases: [
      { q: 'trình duyệt', want: 'browser', baselineMisses: true },
      { q: 'chương trình', want: 'program', baselineMisses: true },
    ],
  },
};

function source(id: string, text: string): Source {
  return {
    id: sha256Hex(`${id}:${text}`), kind: 'document', title: id, origin: `${id}.txt`, mime: 'text/plain', bytes: text.length,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
  };
}

describe('multilingual full-text retrieval (real LanceDB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-multilingual-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, set] of Object.entries(SETS)) {
    it(`${name}: finds the passage, where the plain LanceDB index does not`, async () => {
      const store = await Store.open(path.join(dir, name), { embedderId: embedder.id, dimension: embedder.dimension });
      const ids = Object.keys(set.passages);
      const sources = ids.map((id) => source(id, set.passages[id]!));
      const vectors = await embedder.embed(ids.map((id) => set.passages[id]!));
      const chunks: ChunkRow[] = sources.map((s, i) => {
        const text = set.passages[ids[i]!]!;
        return { id: sha256Hex(`${s.id}:0`), sourceId: s.id, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vectors[i]! };
      });
      await store.writeBulk(sources, chunks);
      const baseline = await BaselineFtsIndex.build(path.join(dir, `${name}-baseline`), [ids.map((id) => ({ id, text: set.passages[id]! }))]);
      for (const c of set.cases) {
        const text = await store.fullText(c.q, 3);
        expect(text[0]?.title, `${name} "${c.q}" (full text)`).toBe(c.want);
        const hits = await hybridSearch(store, embedder, c.q, { k: 3 });
        expect(hits[0]?.title, `${name} "${c.q}" (hybrid)`).toBe(c.want);
        const base = await baseline.search(c.q, 3);
        if (c.baselineMisses) expect(base[0], `${name} "${c.q}" (baseline)`).not.toBe(c.want);
      }
    });
  }
});
