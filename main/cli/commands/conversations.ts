import type { Command } from 'commander';
import type { ConversationOutput, ConversationSummaryOutput } from '../../api/contract.js';
import type { CliContext } from '../index.js';

const oneLine = (s: string, max = 100): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export function formatConversations(list: readonly ConversationSummaryOutput[]): string {
  if (list.length === 0) return 'no conversations yet: `cairn ask "QUESTION"` starts one';
  return list.map((c) => `${c.id}  ${c.updatedAt}  ${String(c.turns).padStart(3)} turn${c.turns === 1 ? ' ' : 's'}  ${oneLine(c.title, 80)}`).join('\n');
}

export function formatConversation(c: ConversationOutput): string {
  const lines = [c.banner, '', `conversation ${c.id} (started ${c.createdAt})`];
  c.turns.forEach((t, i) => {
    lines.push('', `Q${i + 1}: ${t.question}`);
    if (t.sentences.length === 0) lines.push(`  ${t.answer}`);
    for (const s of t.sentences) lines.push(`  ${s.text}${s.refs.length ? ` [${s.refs.join(', ')}]` : ''}`);
  });
  if (c.passages.length > 0) {
    lines.push('', 'Passages:');
    for (const p of c.passages) lines.push(`  [${p.ref}] ${p.title}, p. ${p.page}, chars ${p.start}-${p.end} (${p.marking}): "${oneLine(p.text, 160)}"`);
  }
  if (c.withheld > 0) lines.push('', `${c.withheld} passage${c.withheld === 1 ? ' is' : 's are'} withheld: above your clearance.`);
  lines.push('', c.banner);
  return lines.join('\n');
}

/** `cairn conversations` and `cairn conversation ID`: the caller's conversations with `ask`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('conversations')
    .description('your conversations, most recent first (continue one with `cairn ask --conversation ID`)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await (await ctx.open()).conversations();
      if (o.json) ctx.json(list);
      else ctx.io.out(formatConversations(list));
    });

  program
    .command('conversation')
    .description('one conversation: its questions, answers and the passages you may read')
    .argument('<id>', 'a conversation id, or "last"')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const c = await (await ctx.open()).conversation({ id });
      if (o.json) ctx.json(c);
      else ctx.io.out(formatConversation(c));
    });
}
