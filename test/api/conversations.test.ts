import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { LangChainProvider, registerProviderKind } from '../../main/agent/index.js';
import { Cairn } from '../../main/api/cairn.js';
import { runCli } from '../../main/cli/index.js';

const HARBOUR = [
  'MARITIME SITUATION REPORT, 12 March.',
  'The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time.',
  'It carried 40,000 tonnes of diesel for the Sarn power station.',
  'Harbour master Ilse Varga logged the arrival in the port register.',
  'The Blue Heron departed Port Sarn on 14 March bound for Kessa.',
].join(' ');
const GULL = 'COASTAL REPORT, 2 April. The trawler Grey Gull arrived at Kessa on 2 April with a catch of cod. The Grey Gull departed Kessa on 5 April.';
const SECRET = 'SOURCE REPORT. At Port Sarn on 13 March the master of the Blue Heron met an informant codenamed Lark.';

const Q1 = 'When did the Blue Heron arrive at Port Sarn?';

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

describe('conversations persist across calls (real LanceDB, real files)', () => {
  let root: string;
  let data: string;
  let firstId: string;

  const users = (samClearance: string): Promise<void> =>
    writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { admin: { clearance: 'TOP SECRET' }, sam: { clearance: samClearance }, ann: { clearance: 'UNCLASSIFIED' } } }));

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-conversations-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'harbour.txt'), HARBOUR);
    await writeFile(path.join(root, 'gull.txt'), GULL);
    await writeFile(path.join(root, 'source.txt'), SECRET);
    const admin = await Cairn.open(data, { actor: 'admin' });
    expect((await admin.ingest({ paths: [path.join(root, 'harbour.txt'), path.join(root, 'gull.txt')] })).ingested).toBe(2);
    expect((await admin.ingest({ paths: [path.join(root, 'source.txt')], marking: 'SECRET' })).ingested).toBe(1);
    await users('SECRET');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers a follow-up from the earlier turn, in a fresh instance, and says which conversation', async () => {
    const a1 = await (await Cairn.open(data, { actor: 'sam' })).ask({ question: Q1 });
    expect(a1.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a1.answer).toContain('arrived at Port Sarn on 12 March');
    firstId = a1.conversationId!;

    // Without the conversation the follow-up has no subject: the Grey Gull's departure comes first.
    const alone = await (await Cairn.open(data, { actor: 'sam' })).ask({ question: 'And when did it depart?' });
    expect(alone.sentences[0]?.text).not.toContain('Blue Heron');
    expect(alone.conversationId).not.toBe(firstId);

    // A new instance: the conversation comes back from its file.
    const a2 = await (await Cairn.open(data, { actor: 'sam' })).ask({ question: 'And when did it depart?', conversationId: firstId });
    expect(a2.conversationId).toBe(firstId);
    expect(a2.sentences[0]!.text).toBe('The Blue Heron departed Port Sarn on 14 March bound for Kessa.');
    expect(a2.answer).not.toContain('Grey Gull');
    expect(a2.citations.every((c) => HARBOUR.slice(c.start, c.end) === c.quote)).toBe(true);

    const file = path.join(data, 'conversations', `${firstId}.json`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(data, 'conversations'))).mode & 0o777).toBe(0o700);
    expect((await readdir(path.join(data, 'conversations'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { owner: string; conversation: { turns: { question: string }[] } };
    expect(saved.owner).toBe('sam');
    expect(saved.conversation.turns.map((t) => t.question)).toEqual([Q1, 'And when did it depart?']);

    // The audit record names the conversation and the expanded query.
    const last = (await (await Cairn.open(data, { actor: 'sam' })).auditRecords()).at(-1)!;
    expect(last.payload).toMatchObject({ conversationId: firstId });
    expect(String((last.payload as { followUpQuery?: string }).followUpQuery)).toContain('heron');
  });

  it('gives a model the earlier turns, and lets it cite a passage retrieved in an earlier turn', async () => {
    const seen: string[] = [];
    registerProviderKind({
      kind: 'scripted-conversation',
      discover: async () => [{ name: 'scripted-followup', kind: 'scripted-conversation', summary: 'scripted', settings: {} }],
      create: async () =>
        new LangChainProvider(
          new FakeListChatModel({
            responses: [JSON.stringify({ sentences: [{ text: 'The Blue Heron departed Port Sarn on 14 March bound for Kessa.', chunkIds: ['c1'] }] })],
            callbacks: [{ handleChatModelStart: (_llm: unknown, messages: { content: unknown }[][]) => void seen.push(messages[0]!.map((m) => String(m.content)).join('\n')) }],
          }),
          { name: 'scripted-followup' },
        ),
    });
    const sam = await Cairn.open(data, { actor: 'sam' });
    const first = await sam.ask({ question: Q1 });
    const harbourChunk = first.citations[0]!.chunkId;
    const a = await sam.ask({ question: 'When did it leave?', model: 'scripted-followup', conversationId: first.conversationId });
    expect(a.status).toBe('answered');
    expect(a.citations.map((c) => c.chunkId)).toEqual([harbourChunk]);
    expect(seen[0]).toContain(`Question: ${Q1}`);
    expect(seen[0]).toContain('Passages cited earlier in this conversation');
    const view = await sam.conversation({ id: first.conversationId! });
    expect(view.turns.map((t) => t.question)).toEqual([Q1, 'When did it leave?']);
    expect(view.turns[1]!.sentences[0]!.refs).toEqual(['c1']);
  });

  it('lists and returns only the caller’s own conversations; "last" is the latest', async () => {
    const sam = await Cairn.open(data, { actor: 'sam' });
    const list = await sam.conversations();
    expect(list.find((c) => c.id === firstId)).toMatchObject({ turns: 2, title: Q1 });
    const view = await sam.conversation({ id: firstId });
    expect(view.turns).toHaveLength(2);
    expect(view.passages.length).toBeGreaterThan(0);
    expect(view.turns[1]!.sentences[0]!.refs.every((r) => view.passages.some((p) => p.ref === r))).toBe(true);

    const ann = await Cairn.open(data, { actor: 'ann' });
    expect(await ann.conversations()).toEqual([]);
    await expect(ann.conversation({ id: firstId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ann.ask({ question: 'And when did it depart?', conversationId: firstId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sam.ask({ question: Q1, conversationId: '../../users' })).rejects.toMatchObject({ code: 'BAD_INPUT' });

    const next = await sam.ask({ question: 'What did it carry?', conversationId: 'last' });
    expect(next.conversationId).toBe(list[0]!.id);
  });

  it('never returns passages above the caller’s clearance, even from their own conversation', async () => {
    const sam = await Cairn.open(data, { actor: 'sam' });
    const a = await sam.ask({ question: 'Who did the master of the Blue Heron meet at Port Sarn?', conversationId: firstId });
    expect(a.answer).toContain('Lark');
    expect(a.banner).toBe('SECRET');

    // The administrator lowers sam's clearance.
    await users('UNCLASSIFIED');
    try {
      const lowered = await Cairn.open(data, { actor: 'sam' });
      const view = await lowered.conversation({ id: firstId });
      expect(JSON.stringify(view)).not.toContain('Lark');
      expect(view.withheld).toBeGreaterThan(0);
      expect(view.passages.every((p) => p.marking === 'UNCLASSIFIED')).toBe(true);
      expect(view.banner).toBe('UNCLASSIFIED');
      const lark = view.turns.find((t) => t.question.startsWith('Who did the master'))!;
      expect(lark.sentences.some((s) => s.withheld)).toBe(true);
      expect(lark.sentences.filter((s) => s.withheld).every((s) => s.refs.length === 0)).toBe(true);

      const f = await lowered.ask({ question: 'And who was the informant?', conversationId: firstId });
      expect(f.answer).not.toContain('Lark');
      expect(f.banner).toBe('UNCLASSIFIED');
      // The withheld passage stays in the file (refs stay stable) for when the clearance returns.
      expect(await readFile(path.join(data, 'conversations', `${firstId}.json`), 'utf8')).toContain('Lark');
    } finally {
      await users('SECRET');
    }
    const restored = await (await Cairn.open(data, { actor: 'sam' })).conversation({ id: firstId });
    expect(JSON.stringify(restored)).toContain('Lark');
    expect(restored.withheld).toBe(0);
  });
});

describe('cairn ask --conversation, cairn conversations / conversation', () => {
  let root: string;
  let data: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-conversations-cli-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'harbour.txt'), HARBOUR);
    await (await Cairn.open(data)).ingest({ paths: [path.join(root, 'harbour.txt')] });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('continues a conversation by id and lists it', async () => {
    const c1 = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'ask', Q1, '--json'], c1.io)).toBe(0);
    const id = (JSON.parse(c1.out.join('\n')) as { conversationId: string }).conversationId;
    const c2 = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'ask', 'And when did it depart?', '--conversation', id], c2.io)).toBe(0);
    expect(c2.out.join('\n')).toContain('The Blue Heron departed Port Sarn on 14 March');
    expect(c2.out.join('\n')).toContain(`conversation ${id}`);

    const l = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'conversations', '--json'], l.io)).toBe(0);
    expect(JSON.parse(l.out.join('\n'))).toMatchObject([{ id, turns: 2, title: Q1 }]);
    const v = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'conversation', 'last'], v.io)).toBe(0);
    expect(v.out.join('\n')).toContain('Q2: And when did it depart?');

    const n = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'ask', 'And when did it depart?', '--new', '--json'], n.io)).toBe(0);
    expect((JSON.parse(n.out.join('\n')) as { conversationId: string }).conversationId).not.toBe(id);
    const both = capture();
    expect(await runCli(['node', 'cairn', '--data', data, 'ask', 'x', '--new', '--conversation', id], both.io)).toBe(1);
  });
});
