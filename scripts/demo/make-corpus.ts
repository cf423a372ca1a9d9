/**
 * A small, plainly fictional scenario corpus for `npm run demo` and tests,
 * written with real generators: pdfkit (two multi-page PDF reports), a
 * hand-written HTML bulletin, nodemailer's MailComposer (an RFC 822 message
 * with a text attachment; nothing is sent) and docx (a memo).
 *
 * The scenario ("Exercise CORAL LANTERN") is invented from end to end: the
 * Republic of Kestrava, Port Halcyra, the Marrow Sea, every vessel,
 * organisation and person. Every document says "EXERCISE — FICTIONAL
 * SCENARIO" in its text.
 *
 * Facts interlock (the MV Tessaly Dawn, Port Halcyra, March 2031, the Orvel
 * Shipping Cooperative) but each fact a question asks about is stated in one
 * sentence of one document, so an answer can be checked by the fact it
 * contains and the file (and page) it cites.
 *
 * Deterministic: every date is fixed, the PDF info dictionary carries an
 * explicit CreationDate/ModDate (pdfkit derives the trailer /ID from it), the
 * e-mail has a fixed Date, Message-ID and MIME boundary, and the DOCX gets a
 * fixed docProps/core.xml and fixed ZIP entry times (docx stamps both with the
 * current time otherwise). Two runs give byte-identical files, in any time
 * zone. Offline, and well under a second.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import MailComposer from 'nodemailer/lib/mail-composer';
import PDFDocument from 'pdfkit';

/** Stated in the text of every document (and of the e-mail attachment). */
export const EXERCISE_BANNER = 'EXERCISE — FICTIONAL SCENARIO';

/** A question and where its answer is stated. */
export interface ExpectedFact {
  question: string;
  /** A string a correct answer contains (case as written in the source). */
  mustContain: string;
  /** The full sentence that states the fact, as written in the source. */
  sentence: string;
  /** The file on disk: path.join(dir, name), as a folder walk would name it. */
  file: string;
  /** For a fact inside an e-mail attachment: the attachment's file name. */
  attachment?: string;
  /**
   * The source name the ingest pipeline gives it: `file`, or
   * `${file}#${attachment}` for an attachment.
   */
  origin: string;
  /** 1-based page, for facts in PDFs. */
  page?: number;
}

export interface DemoCorpus {
  /** Every file written, in a fixed order. */
  files: string[];
  /** The three questions the demo asks; `expected[i].question === questions[i]`. */
  questions: string[];
  expected: ExpectedFact[];
  /** Further checkable questions (the DOCX memo, the second PDF), not asked by the demo. */
  extra: ExpectedFact[];
  /** Strings that occur only inside the HTML's <script> and <style>: never in extracted text. */
  notInText: string[];
}

// --- The scenario ------------------------------------------------------------

const FILES = {
  sitrep: 'maritime-sitrep-halcyra.pdf',
  logistics: 'logistics-assessment-eastern-corridor.pdf',
  bulletin: 'harbour-bulletin-12.html',
  email: 'tessaly-dawn-contacts.eml',
  memo: 'memo-halcyra-fuel-reserve.docx',
} as const;
const ROSTER = 'halcyra-contact-roster.txt';

const SCRIPT_SENTINEL = 'CAIRNSCRIPTSENTINEL';
const STYLE_SENTINEL = 'CAIRNSTYLESENTINEL';

/** The sentences the questions are about, each used verbatim in exactly one document. */
const FACT = {
  arrival: 'The MV Tessaly Dawn arrived at Port Halcyra on 14 March 2031 at 06:40 local time.',
  agent: 'Teodor Quill is the shipping agent for the Orvel Shipping Cooperative at Port Halcyra.',
  harbourMaster: 'Captain Ines Radley was appointed harbour master of Port Halcyra on 10 March 2031.',
  signer: 'Director Mirela Varsh signed this memo on the Halcyra fuel reserve on 18 March 2031.',
  cargo: 'The MV Tessaly Dawn was carrying a cargo of 48 containers of irrigation pump parts consigned to the Tarrow Freight Consortium.',
} as const;

interface PdfPage {
  heading: string;
  paragraphs: string[];
}

interface PdfSpec {
  title: string;
  subtitle: string;
  author: string;
  subject: string;
  keywords: string;
  created: Date;
  pages: PdfPage[];
}

const SITREP: PdfSpec = {
  title: 'Maritime Situation Report: Port Halcyra',
  subtitle: 'Exercise CORAL LANTERN. Kestravan Coast Watch, Marrow Sea Sector. Reporting period 10 to 17 March 2031.',
  author: 'Kestravan Coast Watch, Marrow Sea Sector',
  subject: 'Vessel movements at Port Halcyra, 10 to 17 March 2031 (fictional exercise)',
  keywords: 'exercise, fictional, Port Halcyra, Marrow Sea, Tessaly Dawn, Corran Star',
  created: new Date(Date.UTC(2031, 2, 17, 8, 0, 0)),
  pages: [
    {
      heading: '1. Summary and port overview',
      paragraphs: [
        `${EXERCISE_BANNER}. This report was written for a training exercise, and every place, vessel, organisation and person in it is invented.`,
        'Port Halcyra is the main commercial harbour of the Republic of Kestrava on the northern shore of the Marrow Sea. ' +
          'The port has four deep-water berths and a dredged approach channel with a depth of 12 metres. ' +
          'The Halcyra Port Authority manages the berths, the pilot service and the customs pier.',
        'Traffic during the reporting period was light, with six commercial calls and no recorded incidents. ' +
          'Two vessels of interest to the exercise are described on the following pages. ' +
          'Weather in the approaches was moderate, with westerly winds of 15 to 20 knots for most of the week.',
        'This report draws on automatic identification system data, the daily berth list of the port authority and patrol reports of the Coast Watch. ' +
          'Times are given in local time unless stated otherwise.',
      ],
    },
    {
      heading: '2. Vessel movements',
      paragraphs: [
        FACT.arrival +
          ' The vessel made her approach under pilotage and was secured alongside berth 3 shortly after sunrise. ' +
          'The MV Tessaly Dawn is a general freighter of 8,200 deadweight tonnes registered to the Orvel Shipping Cooperative.',
        'Her master, Captain Ilse Brann, reported no defects and no crew changes to the port authority. ' +
          'The Coast Watch patrol boat Grell Sentinel kept station at the harbour entrance during her approach.',
        'The tanker MV Corran Star had been alongside the fuel pier since 9 March 2031. ' +
          'The tanker discharged marine diesel into the shore tanks over three days. ' +
          'No other vessel of interest was observed in the approaches during the period.',
      ],
    },
    {
      heading: '3. Departures and outlook',
      paragraphs: [
        'The MV Corran Star departed Port Halcyra on 16 March 2031 bound for the anchorage at Selmar Roads. ' +
          'Her next declared destination is the fictional port of Varnholt Quay.',
        'The MV Tessaly Dawn is expected to remain alongside until at least 21 March 2031. ' +
          'The Coast Watch will continue routine patrols of the approaches and will report any change in her berth or status.',
        'Analysts should read this report together with the logistics assessment of the Eastern Corridor and the harbour bulletins of the port authority. ' +
          'The next situation report is due on 24 March 2031.',
      ],
    },
  ],
};

const LOGISTICS: PdfSpec = {
  title: 'Logistics Assessment: Eastern Corridor Freight',
  subtitle: 'Exercise CORAL LANTERN. Joint Exercise Analysis Cell. Assessment number 7, issued 19 March 2031.',
  author: 'Joint Exercise Analysis Cell',
  subject: 'Freight between Port Halcyra and the Varnholt depot (fictional exercise)',
  keywords: 'exercise, fictional, logistics, Eastern Corridor, Varnholt, Tarrow Freight Consortium',
  created: new Date(Date.UTC(2031, 2, 19, 14, 30, 0)),
  pages: [
    {
      heading: '1. Scope and sources',
      paragraphs: [
        `${EXERCISE_BANNER}. This assessment was written for a training exercise, and every place, vessel, organisation and person in it is invented.`,
        'This assessment covers freight moving between Port Halcyra and the inland depot at Varnholt from 10 to 20 March 2031. ' +
          'The Eastern Corridor is the coastal highway that links the two sites over a distance of 310 kilometres.',
        'It draws on customs manifests, the Coast Watch situation report of 17 March 2031 and interviews with depot staff. ' +
          'Confidence in the manifest data is high, and confidence in the road movement data is moderate.',
      ],
    },
    {
      heading: '2. Cargo and onward movement',
      paragraphs: [
        FACT.cargo +
          ' The customs manifest was lodged with the port authority two days before the vessel berthed. ' +
          'Customs officers inspected four of the containers and found the contents matched the declaration.',
        'The Tarrow Freight Consortium moved the containers by road in three convoys between 15 and 17 March 2031. ' +
          'Each convoy used twelve to eighteen trucks and travelled at night to avoid congestion in the port district.',
        'The Varnholt depot has storage space for about 1,200 containers and was at roughly half capacity during the period.',
      ],
    },
    {
      heading: '3. Assessment',
      paragraphs: [
        'The analysis cell judges the risk that the pump parts are diverted from their declared use to be low. ' +
          'The consignment matches the seasonal demand of farms in the Varnholt valley.',
        'The main weakness of the corridor is the single bridge over the Sarn River, which carries all heavy traffic to the depot. ' +
          'A closure of that bridge would delay deliveries by at least two days.',
        'The cell recommends a further review when the MV Tessaly Dawn leaves Port Halcyra. ' +
          'This assessment will be updated on 26 March 2031.',
      ],
    },
  ],
};

const BULLETIN_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Halcyra Port Authority: Harbour Bulletin No. 12 (exercise)</title>
<style>
  body { font-family: Georgia, serif; max-width: 44em; margin: 2em auto; color: #222; }
  .banner { background: #fde68a; padding: 0.4em; font-weight: bold; }
  .${STYLE_SENTINEL}::after { content: "${STYLE_SENTINEL}"; }
</style>
<script>
  // Page-view counter of the (fictional) authority's intranet; never part of the text.
  window.bulletinStats = { id: "${SCRIPT_SENTINEL}", views: 0 };
  document.addEventListener("DOMContentLoaded", function () { window.bulletinStats.views += 1; });
</script>
</head>
<body>
<p class="banner">${EXERCISE_BANNER}</p>
<h1>Harbour Bulletin No. 12</h1>
<p>This bulletin was issued by the Halcyra Port Authority on 12 March 2031 as part of Exercise CORAL LANTERN. Every place, vessel, organisation and person in it is invented.</p>
<h2>Appointments</h2>
<p>${FACT.harbourMaster} She succeeds Captain Oren Malk, who retired after eleven years in the post. Captain Radley previously commanded the pilot service of the port.</p>
<h2>Notices to mariners</h2>
<ul>
  <li>Berth 7 is closed for dredging until 2 April 2031.</li>
  <li>Pilotage is compulsory for all vessels longer than 120 metres.</li>
  <li>The north breakwater light shows a temporary fixed red light while it is under repair.</li>
</ul>
<h2>Port services</h2>
<p>The customs pier is open from 06:00 to 22:00 every day. Requests for fresh water and shore power should be sent to the port office at least twelve hours in advance.</p>
</body>
</html>
`;

const ROSTER_TEXT = `${EXERCISE_BANNER}
Contact roster for Port Halcyra, Exercise CORAL LANTERN

Every name, post and number in this roster is invented for a training exercise.

${FACT.agent}
He can be reached on harbour radio channel 14 or on telephone extension 4471.

Marta Senn is the duty officer at the Coast Watch station on Grell Point.
She can be reached on telephone extension 2208 at any hour.

Pavel Oberg is the customs supervisor on the customs pier.
He can be reached on telephone extension 3150 during office hours.
`;

const EMAIL_TEXT = `Priya,

${EXERCISE_BANNER}. This message is part of Exercise CORAL LANTERN and everything in it is invented.

Attached is the contact roster for Port Halcyra that the Coast Watch liaison sent this morning. It lists the people we may need to reach while the MV Tessaly Dawn is alongside.

The Coast Watch patrol boat Grell Sentinel will remain on station off the harbour entrance until 20 March 2031. Please add the roster to the exercise folder before the afternoon brief.

Regards,
Jonas Pike
Joint Exercise Analysis Cell
`;

const EMAIL_DATE = new Date(Date.UTC(2031, 2, 17, 9, 15, 0));

const MEMO_DATE = new Date(Date.UTC(2031, 2, 18, 10, 0, 0));
const MEMO_META = {
  title: 'Memo: Fuel reserve at Port Halcyra (exercise)',
  subject: 'Fuel reserve at Port Halcyra',
  creator: 'Joint Exercise Analysis Cell',
  description: 'Exercise CORAL LANTERN memo. Fictional scenario.',
};

// --- Generators ---------------------------------------------------------------

const PDF_MARGIN = 64;

/**
 * One PDF, one page per spec page. Pages are added explicitly; if text ever
 * overflowed onto an extra page the facts would move, so that throws.
 */
async function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PDF_MARGIN,
    autoFirstPage: false,
    displayTitle: true,
    info: {
      Title: spec.title,
      Author: spec.author,
      Subject: spec.subject,
      Keywords: spec.keywords,
      Creator: 'Cairn demo corpus generator',
      CreationDate: spec.created,
      ModDate: spec.created,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let added = 0;
  doc.on('pageAdded', () => {
    added++;
  });

  const total = spec.pages.length;
  spec.pages.forEach((page, i) => {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#8a1c1c').text(EXERCISE_BANNER, { align: 'center' });
    doc.fillColor('black').moveDown(1.2);
    if (i === 0) {
      doc.font('Helvetica-Bold').fontSize(17).text(spec.title);
      doc.moveDown(0.3);
      doc.font('Helvetica-Oblique').fontSize(10).text(spec.subtitle);
      doc.moveDown(1.2);
    }
    doc.font('Helvetica-Bold').fontSize(13).text(page.heading);
    doc.moveDown(0.6);
    doc.font('Helvetica').fontSize(11);
    for (const p of page.paragraphs) {
      doc.text(p, { align: 'left', lineGap: 2 });
      doc.moveDown(0.8);
    }
    // Footer below the bottom margin: lineBreak false keeps pdfkit from wrapping onto a new page.
    doc.font('Helvetica').fontSize(8).fillColor('#555555');
    doc.text(`${spec.title}. Page ${i + 1} of ${total}.`, PDF_MARGIN, doc.page.height - PDF_MARGIN + 20, { lineBreak: false });
    doc.fillColor('black');
  });
  if (added !== total) throw new Error(`PDF "${spec.title}": text overflowed onto ${added - total} extra page(s)`);
  doc.end();
  return done;
}

async function renderEmail(): Promise<Buffer> {
  const mail = new MailComposer({
    from: { name: 'Jonas Pike', address: 'jonas.pike@jeac.exercise.invalid' },
    to: { name: 'Priya Lund', address: 'priya.lund@jeac.exercise.invalid' },
    subject: 'Exercise CORAL LANTERN: Port Halcyra contact roster',
    date: EMAIL_DATE,
    messageId: '<coral-lantern-0017@jeac.exercise.invalid>',
    baseBoundary: 'coral-lantern-0017',
    text: EMAIL_TEXT,
    attachments: [{ filename: ROSTER, content: ROSTER_TEXT, contentType: 'text/plain; charset=utf-8' }],
  });
  return mail.compile().build();
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** docProps/core.xml with fixed timestamps (docx writes the current time). */
function coreXml(when: Date): string {
  const stamp = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(MEMO_META.title)}</dc:title>` +
    `<dc:subject>${escapeXml(MEMO_META.subject)}</dc:subject>` +
    `<dc:creator>${escapeXml(MEMO_META.creator)}</dc:creator>` +
    `<dc:description>${escapeXml(MEMO_META.description)}</dc:description>` +
    `<cp:lastModifiedBy>${escapeXml(MEMO_META.creator)}</cp:lastModifiedBy>` +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * Sets every entry's DOS modification time in a ZIP (local headers and the
 * central directory) to `when`, read in UTC: docx's zipper stamps entries
 * with the current local time.
 */
export function fixZipTimes(zip: Uint8Array, when: Date): Buffer {
  const buf = Buffer.from(zip);
  const time = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1);
  const date = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let cd = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(cd) !== 0x02014b50) throw new Error(`bad ZIP central directory entry ${i}`);
    buf.writeUInt16LE(time, cd + 12);
    buf.writeUInt16LE(date, cd + 14);
    const local = buf.readUInt32LE(cd + 42);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad ZIP local header for entry ${i}`);
    buf.writeUInt16LE(time, local + 10);
    buf.writeUInt16LE(date, local + 12);
    cd += 46 + buf.readUInt16LE(cd + 28) + buf.readUInt16LE(cd + 30) + buf.readUInt16LE(cd + 32);
  }
  return buf;
}

function para(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun(text)], spacing: { after: 160 } });
}

function field(label: string, value: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)], spacing: { after: 60 } });
}

async function renderMemo(): Promise<Buffer> {
  const doc = new Document({
    ...MEMO_META,
    sections: [
      {
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: EXERCISE_BANNER, bold: true, color: '8A1C1C' })], spacing: { after: 240 } }),
          new Paragraph({ text: 'Memorandum', heading: HeadingLevel.TITLE }),
          field('To', 'Exercise Director, CORAL LANTERN'),
          field('From', 'Director Mirela Varsh, Joint Exercise Analysis Cell'),
          field('Date', '18 March 2031'),
          field('Subject', 'Fuel reserve at Port Halcyra'),
          new Paragraph({ text: 'Background', heading: HeadingLevel.HEADING_1 }),
          para(`${EXERCISE_BANNER}. This memo was written for a training exercise, and every place, vessel, organisation and person in it is invented.`),
          para(
            'The fuel reserve at Port Halcyra holds 9,500 cubic metres of marine diesel in four shore tanks. ' +
              'The reserve is owned by the Halcyra Port Authority and supplies the harbour tugs, the pilot boats and the Coast Watch patrol boats.',
          ),
          para('The tanker MV Corran Star topped up the reserve before she sailed for Selmar Roads.'),
          new Paragraph({ text: 'Assessment', heading: HeadingLevel.HEADING_1 }),
          para(
            'At the current rate of use the reserve would last about forty days without another delivery. ' +
              'The single pipeline from the fuel pier to the tanks is the weak point of the system.',
          ),
          new Paragraph({ text: 'Recommendation', heading: HeadingLevel.HEADING_1 }),
          para(
            'The exercise staff should include a pipeline failure in the second phase of the exercise. ' +
              'Players should be asked how long the Coast Watch could keep patrolling if the pipeline were cut.',
          ),
          new Paragraph({ text: 'Signature', heading: HeadingLevel.HEADING_2 }),
          para(FACT.signer),
        ],
      },
    ],
  });
  const zip = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(MEMO_DATE) }]);
  return fixZipTimes(zip, MEMO_DATE);
}

// --- Entry point --------------------------------------------------------------

/**
 * Writes the demo corpus into `dir` (created if missing) and returns the files,
 * the three demo questions and where each answer is stated.
 */
export async function makeDemoCorpus(dir: string): Promise<DemoCorpus> {
  await mkdir(dir, { recursive: true });
  const at = (name: string): string => path.join(dir, name);

  const [sitrep, logistics, email, memo] = await Promise.all([renderPdf(SITREP), renderPdf(LOGISTICS), renderEmail(), renderMemo()]);
  const contents: [string, Buffer | string][] = [
    [FILES.sitrep, sitrep],
    [FILES.logistics, logistics],
    [FILES.bulletin, BULLETIN_HTML],
    [FILES.email, email],
    [FILES.memo, memo],
  ];
  await Promise.all(contents.map(([name, data]) => writeFile(at(name), data)));

  const expected: ExpectedFact[] = [
    {
      question: 'When did the MV Tessaly Dawn arrive at Port Halcyra?',
      mustContain: '14 March 2031',
      sentence: FACT.arrival,
      file: at(FILES.sitrep),
      origin: at(FILES.sitrep),
      page: 2,
    },
    {
      question: 'Who is the shipping agent for the Orvel Shipping Cooperative?',
      mustContain: 'Teodor Quill',
      sentence: FACT.agent,
      file: at(FILES.email),
      attachment: ROSTER,
      origin: `${at(FILES.email)}#${ROSTER}`,
    },
    {
      question: 'Who was appointed harbour master of Port Halcyra?',
      mustContain: 'Ines Radley',
      sentence: FACT.harbourMaster,
      file: at(FILES.bulletin),
      origin: at(FILES.bulletin),
    },
  ];
  const extra: ExpectedFact[] = [
    {
      question: 'Who signed the memo about the Halcyra fuel reserve?',
      mustContain: 'Mirela Varsh',
      sentence: FACT.signer,
      file: at(FILES.memo),
      origin: at(FILES.memo),
    },
    {
      question: 'What cargo was the MV Tessaly Dawn carrying?',
      mustContain: 'irrigation pump parts',
      sentence: FACT.cargo,
      file: at(FILES.logistics),
      origin: at(FILES.logistics),
      page: 2,
    },
  ];
  return {
    files: contents.map(([name]) => at(name)),
    questions: expected.map((e) => e.question),
    expected,
    extra,
    notInText: [SCRIPT_SENTINEL, STYLE_SENTINEL],
  };
}
