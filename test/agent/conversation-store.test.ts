import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../main/agent/conversation.js';
import { type ConversationRecord, ConversationStore } from '../../main/agent/conversation-store.js';
import { harbour, hostile } from './helpers.js';

function record(c: Conversation, owner = 'sam'): ConversationRecord {
  return { format: 'cairn-conversation/1', owner, createdAt: '2031-03-14T00:00:00.000Z', updatedAt: new Date().toISOString(), conversation: c.toJSON() };
}

describe('Conversation with withheld passages', () => {
  it('keeps references stable and writes withheld passages back, but never resolves them', () => {
    const c = new Conversation();
    const [a, b, d] = [harbour.chunks[0]!, { ...hostile.chunks[0]!, marking: 'SECRET' }, harbour.chunks[1]!];
    expect([c.remember(a), c.remember(b), c.remember(d)]).toEqual(['c1', 'c2', 'c3']);
    const restored = Conversation.fromJSON(JSON.parse(JSON.stringify(c)), (x) => x.marking !== 'SECRET');
    expect(restored.resolve('c2')).toBeUndefined();
    expect(restored.resolve(b.id)).toBeUndefined();
    expect(restored.resolve('c3')?.id).toBe(d.id);
    expect(restored.refs).toEqual(['c1', 'c3']);
    expect(restored.withheldRefs).toEqual(['c2']);
    // A passage retrieved now gets the next free reference, not a withheld one.
    expect(restored.remember(harbour.chunks[2]!)).toBe('c4');
    expect(restored.toJSON().chunks.map((x) => x.id)).toEqual([a.id, b.id, d.id, harbour.chunks[2]!.id]);
  });
});

describe('ConversationStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-convstore-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves atomically with private permissions and reads back what another instance wrote', async () => {
    const one = new ConversationStore(dir);
    const two = new ConversationStore(dir);
    const c = new Conversation();
    c.remember(harbour.chunks[0]!);
    await one.save(record(c));
    expect((await stat(path.join(dir, `${c.id}.json`))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([`${c.id}.json`]);
    expect((await two.get(c.id, 'sam')).conversation.chunks).toHaveLength(1);

    // `one` writes a turn; `two` (which cached the old version) sees it.
    c.addTurn({ question: 'q', answer: 'a', sentences: [], at: '2031-03-14T00:00:00.000Z' });
    await one.save(record(c));
    expect((await two.get(c.id, 'sam')).conversation.turns).toHaveLength(1);
    await expect(two.get(c.id, 'ann')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects ids that are not conversation ids, reports damaged files, and lists around them', async () => {
    const s = new ConversationStore(dir);
    await expect(s.get('../etc/passwd', 'sam')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const good = new Conversation();
    await s.save(record(good));
    const bad = '00000000-0000-4000-8000-000000000000';
    await writeFile(path.join(dir, `${bad}.json`), '{"format": "cairn-conversation/1", "owner": "sam"}');
    await expect(s.get(bad, 'sam')).rejects.toMatchObject({ code: 'PARSE_FAILED' });
    expect((await s.list('sam')).map((x) => x.id)).toEqual([good.id]);
    expect(await s.list('ann')).toEqual([]);
  });

  it('runs turns of one conversation one after another', async () => {
    const s = new ConversationStore(dir);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = s.exclusive('x', async () => {
      order.push('first start');
      await gate;
      order.push('first end');
    });
    const second = s.exclusive('x', async () => {
      order.push('second');
    });
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });
});
