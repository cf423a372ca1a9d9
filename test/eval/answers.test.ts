import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { disposeProviders } from '../../main/agent/index.js';
import { runCli } from '../../main/cli/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { QuestionResult } from '../../main/eval/answer-metrics.js';
import type { AnswerReport } from '../../main/eval/answer-report.js';
import { type GoldItem, parseGoldJsonl } from '../../main/eval/gold.js';
import type { JudgeLine } from '../../main/eval/judge.js';
import { configureEndpoint, rogueServer, type RogueServer } from './rogue-server.js';

const DOCS = {
  heron: 'Harbour log. The tanker Blue Heron arrived at Port Sarn on 12 March. Harbour master Ilse Varga logged the arrival.',
  gull: 'Ferry report. The ferry Morning Gull sailed from Port Sarn to Kessel on 3 May. It carried forty passengers.',
  pike: 'Naval note. The submarine Grey Pike docked at Halcyra berth four on 20 May.',
};
const id = (k: keyof typeof DOCS): string => sha256Hex(DOCS[k]);

const SET: GoldItem[] = [
  { id: 'q1', question: 'When did the Blue Heron arrive at Port Sarn?', expectedSourceIds: [id('heron')], expectedAnswer: '12 March' },
  { id: 'q2', question: 'Where did the Morning Gull sail to from Port Sarn?', expectedSourceIds: [id('gull')], expectedAnswer: 'Kessel' },
  { id: 'q3', question: 'Which berth did the submarine Grey Pike dock at in Halcyra?', expectedSourceIds: [id('pike')], expectedAnswer: 'berth four' },
  { id: 'q4', question: 'What is the recipe for sourdough bread?', expectedSourceIds: [], expectedAnswer: null },
  { id: 'q5', question: 'Who won the chess championship in Reykjavik?', expectedSourceIds: [], expectedAnswer: null },
];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('cairn eval answers: extractive against a scripted misbehaving OpenAI-compatible server', () => {
  let root: string;
  let data: string;
  let setFile: string;
  let runDir: string;
  let server: RogueServer;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-eval-answers-'));
    data = path.join(root, 'data');
    for (const [k, text] of Object.entries(DOCS)) await writeFile(path.join(root, `${k}.txt`), text);
    const cairn = await Cairn.open(data, { actor: 'admin' });
    await cairn.ingest({ paths: Object.keys(DOCS).map((k) => path.join(root, `${k}.txt`)) });
    server = await rogueServer((conv) => {
      // Honest but incomplete: a supported sentence that misses the date asked for.
      if (conv.includes(SET[0]!.question)) return { kind: 'cite', text: 'Harbour master Ilse Varga logged the arrival.' };
      if (conv.includes(SET[1]!.question)) return { kind: 'invent', text: 'The Morning Gull sailed to Kessel carrying 900 soldiers of General Oduya.' };
      if (conv.includes(SET[2]!.question)) return { kind: 'malformed' };
      if (conv.includes(SET[3]!.question)) return { kind: 'unretrieved', text: 'Sourdough bread needs flour, water, salt and a starter.' };
      return { kind: 'invent', text: 'Magnus Carlsen won the championship in Reykjavik in 1972.' };
    });
    await configureEndpoint(data, 'rogue', server.url);
    setFile = path.join(root, 'harbour.jsonl');
    await writeFile(setFile, SET.map((x) => JSON.stringify(x)).join('\n') + '\n');
    runDir = path.join(root, 'harbour.run');
    process.env.CAIRN_USER = 'admin';
  });
  afterAll(async () => {
    delete process.env.CAIRN_USER;
    await server.close();
    await disposeProviders();
    await rm(root, { recursive: true, force: true });
  });

  it('ranks extractive above the misbehaving server, with the figures that say why', async () => {
    const c = capture();
    const code = await runCli(['node', 'cairn', '--data', data, 'eval', 'answers', setFile, '--models', 'extractive,rogue', '--json'], c.io);
    expect(c.err.join('\n')).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join('\n')) as AnswerReport & { asked: number; skipped: number };
    expect(r.asked).toBe(10);
    expect(r.ranking.map((m) => m.model)).toEqual(['extractive', 'rogue']);
    const [ex, rogue] = r.ranking as [AnswerReport['ranking'][0], AnswerReport['ranking'][0]];
    expect(ex.answerInCitationRate).toBe(1);
    expect(ex.expectedSourceRate).toBe(1);
    expect(ex.citationPrecision).toBe(1);
    expect(ex.unsupportedSentenceRate).toBe(0);
    expect(ex.noEvidenceCorrectness).toBe(1);
    expect(ex.fallbackRate).toBe(0);
    expect(ex.tokensPerSecond).toBeNull();
    // Every planted failure counts against the server: an unretrieved id, invented claims and a malformed reply
    // each leave the model with no supported sentence (the extractive answer is shown instead: a fallback).
    expect(rogue.citationPrecision).toBeCloseTo(1 / 5);
    expect(rogue.unsupportedSentenceRate).toBeCloseTo(4 / 5);
    expect(rogue.answerInCitationRate).toBe(0);
    expect(rogue.expectedSourceRate).toBeCloseTo(1 / 3);
    expect(rogue.noEvidenceCorrectness).toBe(0);
    expect(rogue.fallbackRate).toBeCloseTo(4 / 5);
    expect(rogue.score).toBeLessThan(ex.score);
    expect(server.requests).toBeGreaterThanOrEqual(5);

    const md = await readFile(path.join(runDir, 'report.md'), 'utf8');
    expect(md.indexOf('| 1 | extractive |')).toBeGreaterThan(0);
    expect(md).toContain('| 2 | rogue |');
    const png = await sharp(path.join(runDir, 'chart.png')).metadata();
    expect(png.format).toBe('png');
    expect(png.width).toBe(640);
  });

  it('resumes: a re-run asks nothing already answered, and only what a crash cut off', async () => {
    const c = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'answers', setFile, '--models', 'extractive,rogue', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n'))).toMatchObject({ asked: 0, skipped: 10 });
    // Simulate a crash mid-write: the last result is torn.
    const file = path.join(runDir, 'results.jsonl');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    await writeFile(file, `${lines.slice(0, 9).join('\n')}\n${lines[9]!.slice(0, 40)}`);
    const d = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'answers', setFile, '--models', 'extractive,rogue', '--json'], d.io)).toBe(0);
    const r = JSON.parse(d.out.join('\n')) as AnswerReport & { asked: number };
    expect(r.asked).toBe(1);
    expect(r.ranking[0]!.model).toBe('extractive');
    const results = (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as QuestionResult);
    expect(results).toHaveLength(10);
  });

  it('refuses an unknown model before asking anything', async () => {
    const c = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'answers', setFile, '--models', 'extractive,nope', '--out', path.join(root, 'x.run')], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('no model named "nope"');
  });

  it('a blind side-by-side file hides the models; judgements become preference pairs, gold items and training pairs', async () => {
    const judgeFile = path.join(runDir, 'judge.jsonl');
    const lines = (await readFile(judgeFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as JudgeLine);
    // Only q1 differs as delivered (every other rogue answer fell back to the extractive one).
    expect(lines.map((l) => l.question)).toEqual([SET[0]!.question]);
    const text = await readFile(judgeFile, 'utf8');
    expect(text).not.toContain('rogue');
    expect(text).not.toContain('extractive');
    // The reviewer prefers the side that answers the question (gives the date).
    const key = JSON.parse(await readFile(path.join(runDir, 'judge-key.json'), 'utf8')) as Record<string, { A: { model: string }; B: { model: string } }>;
    const judged = lines.map((l) => ({ ...l, preferred: l.A.answer.includes('12 March') ? 'A' : l.B.answer.includes('12 March') ? 'B' : 'tie' }));
    await writeFile(judgeFile, judged.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const c = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'judge', runDir, '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n'))).toEqual({ judged: lines.length, recorded: lines.length });
    const again = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'judge', runDir, '--json'], again.io)).toBe(0);
    expect(JSON.parse(again.out.join('\n'))).toEqual({ judged: lines.length, recorded: 0 });

    const prefs = await (await Cairn.open(data, { actor: 'admin' })).feedbackList({ kind: 'preference' });
    expect(prefs).toHaveLength(lines.length);
    const decided = judged.filter((l) => l.preferred !== 'tie');
    for (const l of decided) expect(key[l.pairId]![l.preferred as 'A' | 'B'].model).toBe('extractive');

    const pairsFile = path.join(root, 'pairs.jsonl');
    expect(await runCli(['node', 'cairn', '--data', data, 'feedback', 'export', '--format', 'jsonl', '--out', pairsFile], capture().io)).toBe(0);
    const pairs = (await readFile(pairsFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { chosen: string; rejected: string; provenance: { chosenModel: string } });
    expect(pairs).toHaveLength(decided.length);
    expect(pairs.every((p) => p.provenance.chosenModel.includes('extractive'))).toBe(true);

    const goldFile = path.join(root, 'from-feedback.jsonl');
    expect(await runCli(['node', 'cairn', '--data', data, 'eval', 'set', 'create', '--from-feedback', '--out', goldFile], capture().io)).toBe(0);
    const gold = parseGoldJsonl(await readFile(goldFile, 'utf8'));
    const heron = gold.find((g) => g.question === SET[0]!.question)!;
    expect(heron.expectedSourceIds).toEqual([id('heron')]);
    expect(heron.expectedAnswer).toContain('12 March');
    expect(gold.every((g) => g.marking === 'UNCLASSIFIED' && g.origin?.startsWith('feedback:'))).toBe(true);
  });
});

describe('cairn eval set import', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-eval-set-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('converts SQuAD, BEIR and checks JSONL', async () => {
    const context = 'The Grey Pike docked at berth four.';
    await writeFile(path.join(root, 'squad.json'), JSON.stringify({ data: [{ title: 'Ships', paragraphs: [{ context, qas: [{ id: 's1', question: 'Where did the Grey Pike dock?', answers: [{ text: 'berth four' }] }] }] }] }));
    const out = path.join(root, 'squad.gold.jsonl');
    expect(await runCli(['node', 'cairn', '--data', path.join(root, 'd'), 'eval', 'set', 'import', path.join(root, 'squad.json'), '--format', 'squad'], capture().io)).toBe(0);
    expect(parseGoldJsonl(await readFile(out, 'utf8'))).toEqual([{ id: 's1', question: 'Where did the Grey Pike dock?', expectedSourceIds: [sha256Hex(context)], expectedAnswer: 'berth four', origin: 'squad:s1' }]);

    const beir = path.join(root, 'beir');
    await mkdir(path.join(beir, 'qrels'), { recursive: true });
    await writeFile(path.join(beir, 'corpus.jsonl'), '{"_id":"d1","title":"","text":"x"}\n');
    await writeFile(path.join(beir, 'queries.jsonl'), '{"_id":"1","text":"what x"}\n{"_id":"2","text":"unjudged"}\n');
    await writeFile(path.join(beir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n1\td1\t1\n');
    const bout = path.join(root, 'b.jsonl');
    expect(await runCli(['node', 'cairn', '--data', path.join(root, 'd'), 'eval', 'set', 'import', beir, '--format', 'beir', '--out', bout], capture().io)).toBe(0);
    expect(parseGoldJsonl(await readFile(bout, 'utf8'))).toEqual([{ id: '1', question: 'what x', expectedSourceIds: ['d1'], expectedAnswer: null, origin: 'beir:beir:1' }]);

    await writeFile(path.join(root, 'bad.jsonl'), '{"id":"a","question":"q","expectedSourceIds":[],"expectedAnswer":null}\n{"id":"b","question":""}\n');
    const c = capture();
    expect(await runCli(['node', 'cairn', '--data', path.join(root, 'd'), 'eval', 'set', 'import', path.join(root, 'bad.jsonl'), '--format', 'jsonl', '--out', path.join(root, 'o.jsonl')], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('bad.jsonl:2');
  });
});
