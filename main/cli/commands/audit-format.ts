/** Human text for `cairn audit verify` and `cairn audit replay`. */
import type { SignatureReport } from '../../audit/checkpoint-verify.js';
import type { VerifyResult } from '../../audit/verify.js';
import type { ReplayReport } from '../../api/replay.js';

const short = (h: string): string => h.slice(0, 12);

export function formatVerify(r: VerifyResult & Partial<SignatureReport>): string {
  const lines: string[] = [];
  if (r.ok) lines.push(`audit log intact: ${r.records} records, head ${r.headHash}`);
  else lines.push(`audit log BROKEN at line ${r.firstBroken.line}${r.firstBroken.seq !== undefined ? ` (seq ${r.firstBroken.seq})` : ''}: ${r.firstBroken.reason}: ${r.firstBroken.message}`, `${r.records} record(s) before it are intact`);
  if (r.checkpoints !== undefined) {
    const last = r.lastCheckpoint;
    lines.push(`signed checkpoints: ${r.checkpoints} verified${r.trust ? ` against ${r.trust.keys} key(s) from ${r.trust.source}` : ''}`);
    if (last) lines.push(`last verified checkpoint: record seq ${last.recordSeq} (${last.ts}) signs seq ${last.seq}, head ${short(last.headHash)}…, key ${last.signer} ${short(last.keyId)}…`);
    if (r.unsignedTail !== undefined) lines.push(r.unsignedTail === 0 ? 'unsigned tail: none' : `unsigned tail: ${r.unsignedTail} record(s) after the last checkpoint are chained but not yet signed (\`cairn audit checkpoint\` signs them)`);
  }
  if (r.kept) lines.push(`kept checkpoint${r.kept.seq !== undefined ? ` seq ${r.kept.seq}` : ''} ${short(r.kept.hash)}…: ${r.kept.found ? 'present in the log' : 'NOT in the log'}`);
  return lines.join('\n');
}

export function formatReplay(r: ReplayReport & { replayAuditId: string }): string {
  const d = r.diff;
  const lines = [`replayed answer ${short(r.auditId)} "${r.question}" as ${r.user} (${r.mode === 'full' ? 'retrieval and answer' : 'retrieval only'})`];
  if (r.same) {
    lines.push(`SAME: the same ${r.replayed.retrieved.length} passages (ids and content), ${r.replayed.citations.length} citations and ${r.replayed.sentences.length} sentences come back`);
  } else {
    lines.push('CHANGED:');
    for (const c of d.chunks.added) lines.push(`  + passage ${short(c.chunkId)} (source ${short(c.sourceId)}) now retrieved at rank ${c.rank}`);
    for (const c of d.chunks.removed) lines.push(`  - passage ${short(c.chunkId)} (source ${short(c.sourceId)}, was rank ${c.rank}) ${c.why === 'gone' ? 'is gone from the store (or above the user’s clearance now)' : c.why === 'changed-content' ? 'has different text now' : 'is still there but outranked'}`);
    for (const c of d.chunks.changedContent) lines.push(`  ~ passage ${short(c.chunkId)}: content hash ${short(c.recordedHash)} then, ${short(c.currentHash)} now`);
    if (d.chunks.reordered) lines.push('  ~ the same passages come back in a different order');
    for (const c of d.citations.removed) lines.push(`  - citation ${c}`);
    for (const c of d.citations.added) lines.push(`  + citation ${c}`);
    for (const s of d.sentences.removed) lines.push(`  - sentence "${s}"`);
    for (const s of d.sentences.added) lines.push(`  + sentence "${s}"`);
    if (!d.answerSame && d.sentences.same) lines.push('  ~ the answer text differs');
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(`replay recorded in the audit log as ${r.replayAuditId}`);
  return lines.join('\n');
}
