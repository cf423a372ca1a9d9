import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { canAccess, defaultPolicy, formatBanner, formatPortion, type Marking, parseMarking, rollUp, userAccess, type UserAccess } from '../../main/access/index.js';
import { Cairn } from '../../main/api/cairn.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { runOp } from '../../main/api/ops.js';
import { issueToken, TokenAuthenticator } from '../../main/api/user-tokens.js';
import { sha256Hex } from '../../main/core/hash.js';
import { mulberry32 } from '../../scripts/lib/stats.js';

/**
 * Randomized no-leak check: many users with random clearances, a corpus of
 * small reports ingested under random markings (some with portion markings
 * in the text), and for every user search, ask, sources and chunk, through
 * runOp and (for some users) real HTTP with their own token. Ground truth is
 * the generator's, not the store's: every report paragraph carries a unique
 * code word, so a returned text is checked against the marking the paragraph
 * was written with. Rerun a failure with CAIRN_NOLEAK_SEED=<seed>.
 */

const SEED = process.env.CAIRN_NOLEAK_SEED ? Number(process.env.CAIRN_NOLEAK_SEED) : Math.floor(Math.random() * 2 ** 31);
const policy = defaultPolicy();

const rand = mulberry32(SEED);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const subset = <T,>(xs: readonly T[], p: number): T[] => xs.filter(() => rand() < p);

const LEVELS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] as const;
const COMPARTMENTS = ['SI', 'TK', 'HCS'] as const;
const NATIONS = ['USA', 'GBR', 'CAN', 'AUS', 'FRA', 'DEU'] as const;

function randomMarking(): string {
  const level = pick(LEVELS);
  const rank = LEVELS.indexOf(level);
  // Compartments only where the policy allows them (SI, TK from CONFIDENTIAL; HCS from SECRET).
  const comps = rank >= 2 ? subset(COMPARTMENTS, 0.3).filter((c) => c !== 'HCS' || rank >= 3) : [];
  const parts: string[] = [level];
  if (comps.length) parts.push(comps.join('/'));
  const d = rand();
  if (rank >= 1 && d < 0.25) parts.push('NOFORN');
  else if (rank >= 1 && d < 0.55) parts.push(`REL TO ${['USA', ...subset(NATIONS.slice(1), 0.5)].join(', ')}`);
  return formatBanner(parseMarking(parts.join('//'), policy)); // normalised, and proves the generator makes valid markings
}

// Shared vocabulary, so most questions match many reports at once.
const SENTENCES = [
  'The patrol boat Meridian reported a cargo vessel near the northern harbour at dawn',
  'A convoy of trucks crossed the river bridge at Osterhal before noon',
  'The radar station at Kelm Ridge tracked two aircraft heading north',
  'Harbour workers unloaded containers of grain from the cargo vessel',
  'The northern harbour was closed after the patrol boat found a damaged buoy',
];
const QUESTIONS = ['What did the patrol boat report near the northern harbour?', 'Which convoy crossed the river bridge at Osterhal?', 'What did the radar station at Kelm Ridge track?'];

interface Paragraph {
  code: string;
  /** What a reader must be cleared for to see this paragraph: the batch marking rolled up with its portion marking. */
  truth: Marking;
}
interface Report {
  file: string;
  batch: string;
  paragraphs: Paragraph[];
  /** The source's marking: the roll-up of the batch and every portion. */
  source: Marking;
}
interface TestUser {
  name: string;
  access: UserAccess;
  entry: { clearance: string; compartments: string[]; nationality?: string; roles: string[] };
}

function makeCorpus(n: number): Report[] {
  const batches = Array.from({ length: 8 }, randomMarking);
  return Array.from({ length: n }, (_, i) => {
    const batch = pick(batches);
    const batchMarking = parseMarking(batch, policy);
    const withPortions = rand() < 0.3;
    const paragraphs = Array.from({ length: withPortions ? 2 : 1 }, (_, j) => {
      const portion = withPortions ? parseMarking(randomMarking(), policy) : null;
      return { code: `kx${i}p${j}`, portion, truth: portion ? rollUp([batchMarking, portion], policy) : batchMarking };
    });
    const text = paragraphs.map((p) => `${p.portion ? `${formatPortion(p.portion)} ` : ''}${pick(SENTENCES)}. Report ${p.code} notes ${pick(SENTENCES).toLowerCase()}.`).join('\n\n');
    return { file: `r${i}.txt`, batch, paragraphs: paragraphs.map(({ code, truth }) => ({ code, truth })), source: rollUp([batchMarking, ...paragraphs.map((p) => p.truth)], policy), text };
  }) as (Report & { text: string })[];
}

function makeUsers(n: number): TestUser[] {
  return Array.from({ length: n }, (_, i) => {
    const level = pick(LEVELS);
    const compartments = subset(COMPARTMENTS, 0.4);
    const nationality = rand() < 0.1 ? undefined : pick(NATIONS);
    const entry = { clearance: level, compartments, ...(nationality ? { nationality } : {}), roles: [pick(['analyst', 'reviewer'])] };
    return { name: `u${i}`, access: userAccess(entry, policy), entry };
  });
}

describe(`no chunk above a user's clearance is ever returned (seed ${SEED})`, () => {
  let root: string;
  let data: string;
  let admin: Cairn;
  let corpus: (Report & { text: string })[];
  let users: TestUser[];
  const codeTruth = new Map<string, Marking>();

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-noleak-'));
    data = path.join(root, 'data');
    await mkdir(data, { recursive: true });
    corpus = makeCorpus(36) as (Report & { text: string })[];
    users = makeUsers(24);
    for (const r of corpus) for (const p of r.paragraphs) codeTruth.set(p.code, p.truth);
    await writeFile(
      path.join(data, 'users.json'),
      JSON.stringify({ users: { root: { clearance: 'TOP SECRET', compartments: [...COMPARTMENTS], nationality: 'USA', roles: ['administrator'] }, ...Object.fromEntries(users.map((u) => [u.name, u.entry])) } }),
    );
    admin = await Cairn.open(data, { actor: 'root' });
    const byBatch = new Map<string, string[]>();
    for (const r of corpus) {
      const dir = path.join(root, 'corpus', String([...new Set(corpus.map((x) => x.batch))].indexOf(r.batch)));
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, r.file), r.text);
      byBatch.set(r.batch, [...(byBatch.get(r.batch) ?? []), path.join(dir, r.file)]);
    }
    for (const [marking, paths] of byBatch) {
      const s = await admin.ingest({ paths, marking });
      expect(s.failed, `seed ${SEED}: ingest ${marking}`).toBe(0);
    }
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Every code word in `text` belongs to a paragraph the user may read. */
  function assertReadable(u: TestUser, text: string, where: string): void {
    for (const code of text.match(/\bkx\d+p\d+\b/g) ?? []) {
      const truth = codeTruth.get(code);
      expect(truth, `seed ${SEED}: unknown code ${code}`).toBeDefined();
      expect(canAccess(u.access, truth!), `seed ${SEED}: ${u.name} (${JSON.stringify(u.entry)}) got ${code} marked ${formatBanner(truth!)} via ${where}`).toBe(true);
    }
  }

  async function checkUser(u: TestUser, call: <T>(op: string, input: unknown) => Promise<T>, via: string): Promise<{ hits: number; citations: number }> {
    let returned = 0;
    // Sources: exactly those the user is cleared for (nothing more, and the filter does not over-block).
    const sources = await call<{ id: string; marking: string }[]>('sources', {});
    const expected = corpus.filter((r) => canAccess(u.access, r.source)).map((r) => sha256Hex(r.text)).sort();
    expect(sources.map((s) => s.id).sort(), `seed ${SEED}: ${u.name} sources via ${via}`).toEqual(expected);
    for (const s of sources) expect(canAccess(u.access, parseMarking(s.marking, policy)), `seed ${SEED}: source marking ${s.marking} via ${via}`).toBe(true);

    // Search: shared words (many hits) and code words of reports the user may not read (probes).
    const hidden = corpus.flatMap((r) => r.paragraphs).filter((p) => !canAccess(u.access, p.truth));
    const queries = [pick(SENTENCES), 'patrol boat harbour', ...hidden.slice(0, 3).map((p) => p.code)];
    for (const query of queries) {
      const r = await call<{ hits: { chunkId: string; marking: string; text: string }[] }>('search', { query, k: 20 });
      returned += r.hits.length;
      for (const h of r.hits) {
        expect(canAccess(u.access, parseMarking(h.marking, policy)), `seed ${SEED}: ${u.name} hit marked ${h.marking} via ${via} search`).toBe(true);
        assertReadable(u, h.text, `${via} search ${JSON.stringify(query)}`);
      }
    }

    // Ask: every citation readable, and the banner is the roll-up of what is cited.
    const a = await call<{ answer: string; banner: string; citations: { chunkId: string; quote: string }[] }>('ask', { question: pick(QUESTIONS) });
    assertReadable(u, a.answer, `${via} ask answer`);
    const cited = await admin.chunkMarkings([...new Set(a.citations.map((c) => c.chunkId))]);
    for (const c of a.citations) {
      const m = cited.get(c.chunkId);
      expect(m, `seed ${SEED}: cited chunk ${c.chunkId} exists`).toBeDefined();
      expect(canAccess(u.access, parseMarking(m!, policy)), `seed ${SEED}: ${u.name} cited ${m} via ${via}`).toBe(true);
      assertReadable(u, c.quote, `${via} ask citation`);
    }
    expect(a.banner, `seed ${SEED}: ${u.name} banner via ${via}`).toBe(formatBanner(rollUp([...cited.values()].map((m) => parseMarking(m, policy)), policy)));
    return { hits: returned, citations: a.citations.length };
  }

  it('through runOp, for every user: search, ask and sources stay within the clearance; hidden passages are not found', async () => {
    onTestFailed(() => console.error(`no-leak test failed with seed ${SEED}; rerun: CAIRN_NOLEAK_SEED=${SEED} npx vitest run test/access/no-leak-random.test.ts`));
    let returned = 0;
    let citations = 0;
    let probed = 0;
    for (const u of users) {
      // Half through the service acting as the user (as the HTTP server does), half through a fresh Cairn.open.
      const cairn = users.indexOf(u) % 2 === 0 ? await admin.forUser(u.name) : await Cairn.open(data, { actor: u.name });
      const n = await checkUser(u, (op, input) => runOp(cairn, op as 'search', input as never) as never, 'runOp');
      returned += n.hits;
      citations += n.citations;
      // A hidden passage by id: NOT_FOUND, the same answer as an id that does not exist.
      const hiddenChunk = (await admin.search({ query: 'report', k: 50 })).hits.find((h) => !canAccess(u.access, parseMarking(h.marking, policy)));
      if (hiddenChunk) {
        probed++;
        await expect(runOp(cairn, 'chunk', { id: hiddenChunk.chunkId }), `seed ${SEED}`).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
    }
    // The test must have exercised something: results came back and hidden chunks were probed.
    expect(returned, `seed ${SEED}`).toBeGreaterThan(0);
    expect(citations, `seed ${SEED}`).toBeGreaterThan(0);
    expect(probed, `seed ${SEED}`).toBeGreaterThan(0);
    console.log(`no-leak seed ${SEED}: ${users.length} users, ${corpus.length} reports; ${returned} hits and ${citations} citations checked, ${probed} hidden passages probed`);
  }, 60_000);

  it('over real HTTP, each user with their own token gets the same guarantees', async () => {
    onTestFailed(() => console.error(`no-leak test failed with seed ${SEED}; rerun: CAIRN_NOLEAK_SEED=${SEED} npx vitest run test/access/no-leak-random.test.ts`));
    const tokens = new TokenAuthenticator(data);
    const server: CairnHttpServer = await createHttpServer(admin, {
      port: 0,
      users: { authenticate: async (t) => ((name) => (name === undefined ? undefined : admin.forUser(name)))(await tokens.userFor(t)) },
    });
    try {
      for (const u of users.slice(0, 5)) {
        const { token } = await issueToken(data, u.name);
        const call = async <T,>(op: string, input: unknown): Promise<T> => {
          const res = await fetch(`${server.url}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
          expect(res.status, `seed ${SEED}: ${op} as ${u.name}`).toBe(200);
          return (await res.json()) as T;
        };
        await checkUser(u, call, 'http');
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
