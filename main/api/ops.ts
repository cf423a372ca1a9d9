import type { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { Cairn } from './cairn.js';
import { contract, type OpName, type StreamEvent } from './contract.js';

/**
 * The operation registry: for every operation of the contract, its input and
 * output schema and one handler. HTTP, IPC (and tests) iterate over this; no
 * transport has per-operation code. Handlers throw CairnErrors; each
 * transport maps them once (see transport-errors.ts). Roles are checked by
 * the service itself against permissions.ts (FORBIDDEN), so callers that
 * use Cairn directly, like the CLI, are held to the same table.
 */

/** The part of Cairn the operations call: a fake in tests, the real service otherwise. */
export type CairnService = Pick<Cairn, 'ingest' | 'search' | 'ask' | 'tracks' | 'sources' | 'auditRecords' | 'auditVerify' | 'chunk' | 'sourceContent' | 'feedback' | 'feedbackList' | 'conversations' | 'conversation' | 'packageVerify' | 'packageImport' | 'keysList' | 'usersList' | 'auditExport'>;

export interface OpContext {
  /** Aborted when the caller went away (HTTP client closed, window destroyed). */
  signal: AbortSignal;
  /** Reports progress before the result; a no-op for callers that do not stream. */
  emit: (event: StreamEvent) => void;
}

type Input<K extends OpName> = z.output<(typeof contract)[K]['input']>;
type Output<K extends OpName> = z.output<(typeof contract)[K]['output']>;

export interface OpDef<K extends OpName> {
  input: (typeof contract)[K]['input'];
  output: (typeof contract)[K]['output'];
  description: string;
  handler: (cairn: CairnService, input: Input<K>, ctx: OpContext) => Promise<Output<K>>;
}

/** A mapped type, so leaving out an operation of the contract is a compile error. */
export type Registry = { readonly [K in OpName]: OpDef<K> };

function def<K extends OpName>(name: K, description: string, handler: OpDef<K>['handler']): OpDef<K> {
  return { input: contract[name].input, output: contract[name].output, description, handler };
}

export const ops: Registry = {
  ingest: def('ingest', 'add files or folders; reports `progress` per file', (cairn, input, { emit }) =>
    cairn.ingest(input, (p) => emit({ event: 'progress', data: { done: p.done, total: p.total, file: p.file, status: p.status } })),
  ),
  search: def('search', 'hybrid full-text and vector search over ingested passages', (cairn, input) => cairn.search(input)),
  tracks: def('tracks', 'track points in an area and time window', (cairn, input) => cairn.tracks(input)),
  ask: def('ask', 'a cited answer; reports each `sentence` before the result', async (cairn, input, { emit, signal }) => {
    // Clients learn that the model is writing, not what: its raw text has not
    // passed the citation check or the relay guard yet (it may repeat an
    // instruction planted in a passage), so only checked sentences leave.
    let tokens = 0;
    const answer = await cairn.ask(input, {
      signal,
      onEvent: (e) => {
        if (e.type === 'token') emit({ event: 'token', data: { count: ++tokens, step: e.step } });
        else if (e.type === 'tool_start') emit({ event: 'tool_start', data: { callId: e.callId, tool: e.tool, args: e.args } });
        else if (e.type === 'tool_end') emit({ event: 'tool_end', data: { callId: e.callId, tool: e.tool, chunkIds: e.chunkIds, ms: e.ms, ...(e.error ? { error: e.error } : {}) } });
      },
    });
    // The extractive composer answers at once; a generating model will report
    // sentences as they pass the citation check, through this same event.
    answer.sentences.forEach((s, index) => emit({ event: 'sentence', data: { index, text: s.text, citations: s.citations } }));
    return answer;
  }),
  sources: def('sources', 'ingested sources', (cairn) => cairn.sources()),
  auditRecords: def('auditRecords', 'every audit record, in order', (cairn) => cairn.auditRecords()),
  auditVerify: def('auditVerify', 'walk the hash chain; names the first broken record', (cairn) => cairn.auditVerify()),
  feedback: def('feedback', 'rate an answer, flag a citation, correct it or prefer it over another answer (audited; inherits the answer banner)', (cairn, input) => cairn.feedback(input)),
  feedbackList: def('feedbackList', 'feedback the user is cleared to read', (cairn, input) => cairn.feedbackList(input)),
  chunk: def('chunk', 'a passage by id with its neighbours, for the source viewer', (cairn, input) => cairn.chunk(input)),
  conversations: def('conversations', "the caller's conversations (pass an id to ask as conversationId to continue one)", (cairn) => cairn.conversations()),
  conversation: def('conversation', 'one conversation: turns and the passages the caller may read (others withheld)', (cairn, input) => cairn.conversation(input)),
  packageVerify: def('packageVerify', "check a package file on the server's disk (structure, signature, trusted signer, every file hash); writes nothing", (cairn, input) => cairn.packageVerify(input)),
  packageImport: def('packageImport', 'verify, then ingest a package (administrators); reports `progress` per extracted and ingested file', (cairn, input, { emit }) =>
    cairn.packageImport(input, (p) => emit({ event: 'progress', data: { done: p.done, total: p.total, file: `${p.phase} ${p.file}`, status: 'ingested' } })),
  ),
  auditExport: def('auditExport', "an answer's provenance as W3C PROV-JSON (format prov, answerId), or audit records as JSON Lines (format jsonl; one answer's with answerId); audited as export", (cairn, input) => cairn.auditExport(input)),
  keysList: def('keysList', 'trusted and revoked publisher keys (DATA/keys)', (cairn) => cairn.keysList()),
  usersList: def('usersList', 'users, roles, clearance and whether a token is issued (administrators)', (cairn) => cairn.usersList()),
  sourceContent: def('sourceContent', 'the original PDF or image of a source (base64; HTTP also serves it raw at GET /api/content/<id>)', (cairn, input) => cairn.sourceContent(input)),
};

export const OP_NAMES: readonly OpName[] = Object.freeze(Object.keys(ops) as OpName[]);

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.hasOwn(ops, name);
}

/** Validates raw transport input (JSON body, IPC argument); BAD_INPUT naming the first problem. */
export function parseInput<K extends OpName>(name: K, raw: unknown): Input<K> {
  const r = ops[name].input.safeParse(raw ?? {});
  if (r.success) return r.data as Input<K>;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  throw new CairnError('BAD_INPUT', `invalid input for ${name}: ${where}: ${issue?.message ?? 'unknown problem'}`, { input: where });
}

/** A context for callers that neither stream nor cancel. */
export function quietContext(): OpContext {
  return { signal: new AbortController().signal, emit: () => undefined };
}

/**
 * Runs an operation's handler on input parseInput already checked. Type-erased
 * on purpose: transports hold the name as a runtime string.
 */
export function invokeOp(cairn: CairnService, name: OpName, input: unknown, ctx: OpContext): Promise<unknown> {
  const handler = ops[name].handler as (c: CairnService, i: unknown, x: OpContext) => Promise<unknown>;
  return handler(cairn, input, ctx);
}

/** Parses the input and runs the handler: what every transport does per call. */
export async function runOp<K extends OpName>(cairn: CairnService, name: K, raw: unknown, ctx: OpContext = quietContext()): Promise<Output<K>> {
  return (await invokeOp(cairn, name, parseInput(name, raw), ctx)) as Output<K>;
}
