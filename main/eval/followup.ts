/**
 * A small hand-built follow-up set for the extractive path: short reports
 * whose vocabulary overlaps on purpose (several things "departed", "carried",
 * had a "crew"), and two-question dialogues whose second question leans on
 * the first ("What did it carry?"). Each follow-up is asked twice: inside the
 * conversation and on its own (the baseline, measured in the same run).
 * Topic switches are controls: carrying history over must not hurt them.
 * `npm run eval -- followup` prints the figures.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const FOLLOW_UP_DOCS: Record<string, string> = {
  'blue-heron.txt':
    'MARITIME SITUATION REPORT, 12 March. The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time. It carried 40,000 tonnes of diesel for the Sarn power station. The Blue Heron had a crew of 22. Harbour master Ilse Varga logged the arrival in the port register. The Blue Heron departed Port Sarn on 14 March bound for Kessa.',
  'grey-gull.txt':
    'COASTAL REPORT, 2 April. The trawler Grey Gull arrived at Kessa on 2 April with a catch of cod. Her master is Tomas Brell. The Grey Gull had a crew of 9. The Grey Gull departed Kessa on 5 April bound for Port Sarn.',
  'raven.txt':
    'AIR MOVEMENTS, 3 May. The aircraft with callsign RAVEN 21 took off from Vell airfield at 06:10 on 3 May. It was flown by Captain Anya Mirov. RAVEN 21 carried medical supplies. It landed at Orsk at 09:40 the same day.',
  'convoy.txt':
    'LOGISTICS NOTE, 9 June. A convoy of 14 trucks left Dunmore depot on 9 June. The convoy was led by Sergeant Piet Olsen. The trucks carried grain for the northern districts. The convoy reached the border crossing at Halt on 11 June.',
  'meeting.txt':
    'DIPLOMATIC NOTE, 20 May. Minister Hale met envoy Sorensen in Vell on 20 May. They discussed fishing quotas in the northern waters. The next meeting is scheduled for 3 July in Kessa.',
  'storm.txt':
    'WEATHER REPORT, 18 April. Storm Idris hit the Kessa coast on 18 April. Winds reached 130 km/h at the harbour mouth. The port of Kessa closed for two days. Fishing boats stayed in Port Sarn until the storm passed.',
};

export interface FollowUpCase {
  first: string;
  second: string;
  /** Text the second answer's first sentence must contain (case-insensitive). */
  expect: string;
  /** A topic switch: the second question stands on its own. */
  control?: boolean;
}

export const FOLLOW_UP_CASES: readonly FollowUpCase[] = [
  { first: 'When did the Blue Heron arrive at Port Sarn?', second: 'When did it depart?', expect: 'Blue Heron departed' },
  { first: 'When did the Blue Heron arrive at Port Sarn?', second: 'What did it carry?', expect: 'diesel' },
  { first: 'When did the Blue Heron depart Port Sarn?', second: 'Where was it bound?', expect: 'bound for Kessa' },
  { first: 'Who logged the arrival of the Blue Heron?', second: 'How big was its crew?', expect: 'crew of 22' },
  { first: 'When did the Grey Gull arrive at Kessa?', second: 'And when did it depart?', expect: 'Grey Gull departed' },
  { first: 'Who is the master of the Grey Gull?', second: 'How big was the crew?', expect: 'crew of 9' },
  { first: 'When did RAVEN 21 take off from Vell?', second: 'Where did it land?', expect: 'landed at Orsk' },
  { first: 'Who flew RAVEN 21?', second: 'What did it carry?', expect: 'medical supplies' },
  { first: 'When did the convoy leave Dunmore depot?', second: 'When did it reach the border?', expect: 'reached the border' },
  { first: 'When did the convoy leave Dunmore depot?', second: 'What did the trucks carry?', expect: 'grain' },
  { first: 'How many trucks were in the Dunmore convoy?', second: 'And who led it?', expect: 'Piet Olsen' },
  { first: 'Where did Minister Hale meet envoy Sorensen?', second: 'What did they discuss?', expect: 'fishing quotas' },
  { first: 'Where did Minister Hale meet envoy Sorensen?', second: 'When is the next meeting?', expect: '3 July' },
  { first: 'When did Storm Idris hit the Kessa coast?', second: 'How strong were the winds?', expect: '130 km/h' },
  { first: 'When did Storm Idris hit the Kessa coast?', second: 'What happened to the port?', expect: 'port of Kessa closed' },
  { first: 'When did the Blue Heron arrive at Port Sarn?', second: 'When did Storm Idris hit the Kessa coast?', expect: 'Storm Idris hit', control: true },
  { first: 'Who flew RAVEN 21?', second: 'Who led the convoy from Dunmore depot?', expect: 'Piet Olsen', control: true },
  { first: 'When did the Grey Gull arrive at Kessa?', second: 'What did Minister Hale and envoy Sorensen discuss?', expect: 'fishing quotas', control: true },
];

/** Writes the set's documents into `dir`; returns their paths (to ingest). */
export async function writeFollowUpDocs(dir: string): Promise<string[]> {
  return Promise.all(
    Object.entries(FOLLOW_UP_DOCS).map(async ([name, text]) => {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    }),
  );
}

/** One line for reports: hits with the conversation and alone, follow-ups and controls. */
export function formatFollowUpReport(r: FollowUpReport): string {
  return `follow-ups: ${r.followUps.withHistory}/${r.followUps.n} with history, ${r.followUps.alone}/${r.followUps.n} alone; controls (topic switches): ${r.controls.withHistory}/${r.controls.n} with history, ${r.controls.alone}/${r.controls.n} alone`;
}

/** What the runner needs of `Cairn.ask`. */
export type AskFn = (input: { question: string; conversationId?: string }) => Promise<{ sentences: { text: string }[]; conversationId?: string }>;

export interface FollowUpCaseResult {
  first: string;
  second: string;
  expect: string;
  control: boolean;
  withHistory: string | null;
  alone: string | null;
  hitWithHistory: boolean;
  hitAlone: boolean;
}

export interface FollowUpReport {
  followUps: { n: number; withHistory: number; alone: number };
  controls: { n: number; withHistory: number; alone: number };
  cases: FollowUpCaseResult[];
}

const hit = (text: string | null, want: string): boolean => text !== null && text.toLowerCase().includes(want.toLowerCase());

/** Runs every case: the second question in the first's conversation, and alone. Scores the answer's first sentence. */
export async function runFollowUpEval(ask: AskFn, cases: readonly FollowUpCase[] = FOLLOW_UP_CASES): Promise<FollowUpReport> {
  const results: FollowUpCaseResult[] = [];
  for (const c of cases) {
    const a1 = await ask({ question: c.first });
    const a2 = await ask({ question: c.second, ...(a1.conversationId ? { conversationId: a1.conversationId } : {}) });
    const b2 = await ask({ question: c.second });
    const withHistory = a2.sentences[0]?.text ?? null;
    const alone = b2.sentences[0]?.text ?? null;
    results.push({ first: c.first, second: c.second, expect: c.expect, control: c.control ?? false, withHistory, alone, hitWithHistory: hit(withHistory, c.expect), hitAlone: hit(alone, c.expect) });
  }
  const tally = (rs: FollowUpCaseResult[]): { n: number; withHistory: number; alone: number } => ({ n: rs.length, withHistory: rs.filter((r) => r.hitWithHistory).length, alone: rs.filter((r) => r.hitAlone).length });
  return { followUps: tally(results.filter((r) => !r.control)), controls: tally(results.filter((r) => r.control)), cases: results };
}
