import { z } from 'zod';

/**
 * The one contract every transport serves (CLI, HTTP, IPC, tests): each
 * operation's input and output schema. `--json` output of the CLI is exactly
 * the output schema.
 */

/** An image region (pixels) or a track segment (entity and time span). */
export const extraLocatorSchema = z.union([
  z.object({ bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
  z.object({ entity: z.string(), t0: z.string(), t1: z.string() }),
]);

export const citationSchema = z.object({
  sourceId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  page: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  quote: z.string(),
  locator: extraLocatorSchema.optional(),
});

export const answerSchema = z.object({
  answer: z.string(),
  sentences: z.array(z.object({ text: z.string(), citations: z.array(citationSchema).min(1) })),
  citations: z.array(citationSchema),
  banner: z.string(),
  auditId: z.string(),
  /** Which provider answered (extractive unless a model was asked for or configured). */
  model: z.string().optional(),
  /** answered | fallback (the model failed; the extractive answer is given) | cancelled. */
  status: z.enum(['answered', 'fallback', 'cancelled']).optional(),
  /** Why a fallback happened, or what the provider reported. */
  note: z.string().optional(),
  /** Sentences the model wrote that its cited passages did not support: shown flagged, never cited. */
  unsupported: z.array(z.object({ text: z.string(), reason: z.string().optional() })).optional(),
  /** The conversation this answer belongs to: pass it back as `conversationId` for a follow-up. */
  conversationId: z.string().optional(),
});

/** A conversation as its owner may see it now (passages above their clearance withheld). */
export const conversationSummarySchema = z.object({ id: z.string(), createdAt: z.string(), updatedAt: z.string(), turns: z.number().int(), title: z.string() });
export const conversationSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  turns: z.array(
    z.object({
      question: z.string(),
      answer: z.string(),
      at: z.string(),
      sentences: z.array(z.object({ text: z.string(), refs: z.array(z.string()), withheld: z.boolean() })),
      /** Roll-up of the markings of the passages the shown sentences cite. */
      banner: z.string(),
      /** The answer's audit record: feedback on the turn names it. */
      auditId: z.string().optional(),
    }),
  ),
  /** Passages retrieved in the conversation that the caller may read, by ref (c1, c2...). */
  passages: z.array(
    z.object({ ref: z.string(), chunkId: z.string(), sourceId: z.string(), title: z.string(), page: z.number().int(), start: z.number().int(), end: z.number().int(), marking: z.string(), text: z.string(), locator: extraLocatorSchema.optional() }),
  ),
  /** How many passages are withheld (above the caller's clearance). */
  withheld: z.number().int(),
  /** Roll-up of the returned passages' markings. */
  banner: z.string(),
});

export const searchHitSchema = z.object({
  rank: z.number().int(),
  score: z.number(),
  chunkId: z.string(),
  sourceId: z.string(),
  title: z.string(),
  locator: z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int() }),
  /** Image region or track segment, when the passage is one. */
  place: extraLocatorSchema.optional(),
  marking: z.string(),
  text: z.string(),
});

export const observationSchema = z.object({
  sourceId: z.string(),
  entity: z.string(),
  t: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  alt: z.number().nullable(),
  speed: z.number().nullable(),
  course: z.number().nullable(),
  marking: z.string(),
});

export const sourceSchema = z.object({
  id: z.string(),
  kind: z.enum(['document', 'image', 'track']),
  title: z.string(),
  origin: z.string(),
  mime: z.string(),
  bytes: z.number(),
  ingestedAt: z.string(),
  marking: z.string(),
  packageId: z.string(),
  t0: z.string().nullable().optional(),
  t1: z.string().nullable().optional(),
  geo: z.object({ west: z.number(), south: z.number(), east: z.number(), north: z.number() }).nullable().optional(),
  parentId: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});

/** One line of the hash-chained audit log; `hash` is the record's auditId. */
export const auditRecordSchema = z.object({
  seq: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

/** Signed-checkpoint fields `auditVerify` adds to the chain result (optional: older servers omit them). */
const checkpointReportShape = {
  checkpoints: z.number().int().optional(),
  lastCheckpoint: z
    .object({ recordSeq: z.number().int(), recordHash: z.string(), ts: z.string(), seq: z.number().int(), headHash: z.string(), keyId: z.string(), signer: z.string() })
    .nullable()
    .optional(),
  /** Records after the last verified checkpoint (chained, not yet signed). */
  unsignedTail: z.number().int().optional(),
  trust: z.object({ source: z.string(), keys: z.number().int() }).optional(),
  kept: z.object({ seq: z.number().int().optional(), hash: z.string(), found: z.boolean() }).optional(),
};

export const verifyResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), records: z.number().int(), headHash: z.string(), ...checkpointReportShape }),
  z.object({
    ok: z.literal(false),
    records: z.number().int(),
    firstBroken: z.object({
      line: z.number().int(),
      seq: z.number().int().optional(),
      reason: z.enum(['truncated', 'unparsable', 'hash-mismatch', 'seq-gap', 'seq-out-of-order', 'prev-hash-mismatch', 'bad-checkpoint', 'bad-signature', 'unknown-key', 'revoked-key', 'checkpoint-mismatch', 'missing-checkpoint']),
      message: z.string(),
    }),
    ...checkpointReportShape,
  }),
]);

const bboxSchema = z.object({ west: z.number().min(-180).max(180), south: z.number().min(-90).max(90), east: z.number().min(-180).max(180), north: z.number().min(-90).max(90) });

/** One file's outcome; an e-mail's attachments nest as their own results. */
export const ingestFileResultSchema = z.object({
  file: z.string(),
  status: z.enum(['ingested', 'exists', 'failed']),
  sourceId: z.string().optional(),
  title: z.string().optional(),
  chunks: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  get attachments() {
    return z.array(ingestFileResultSchema).optional();
  },
});

export const ingestSummarySchema = z.object({
  files: z.array(ingestFileResultSchema),
  ingested: z.number().int(),
  exists: z.number().int(),
  failed: z.number().int(),
});

/** One passage as the source viewer shows it (marking-filtered like search). */
export const passageSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  ordinal: z.number().int(),
  text: z.string(),
  page: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  marking: z.string(),
  locator: extraLocatorSchema.optional(),
});

/** A passage with its neighbours and what the viewer needs of its source. */
export const chunkViewSchema = z.object({
  chunk: passageSchema,
  before: z.array(passageSchema),
  after: z.array(passageSchema),
  source: z.object({
    id: z.string(),
    kind: z.enum(['document', 'image', 'track']),
    title: z.string(),
    mime: z.string(),
    /** The original (PDF, image) can be fetched with sourceContent: kept at ingest and readable by this user. */
    hasContent: z.boolean(),
    /** Pixel size of an image (the frame its OCR boxes are in), when known. */
    width: z.number().optional(),
    height: z.number().optional(),
  }),
});

/** An original's bytes: base64 over JSON transports; HTTP also serves them raw at GET /api/content/<id>. */
export const sourceContentSchema = z.object({ id: z.string(), mime: z.string(), bytes: z.number().int(), base64: z.string() });

/** Feedback on an answer (by its auditId): rating, citation verdict, correction, preference over another answer to the same question. */
const answerIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'an answer id (the 64-hex auditId an answer carries)');
export const feedbackInputSchema = z.object({
  answerId: answerIdSchema,
  /** up/down, or 1-5. */
  rating: z.union([z.enum(['up', 'down']), z.number().int().min(1).max(5)]).optional(),
  citation: z.object({ verdict: z.enum(['wrong', 'missing']), chunkId: z.string().optional(), sourceId: z.string().optional(), note: z.string().optional() }).optional(),
  correction: z.string().min(1).optional(),
  preference: z.object({ otherAnswerId: answerIdSchema, preferred: z.enum(['this', 'other', 'tie']) }).optional(),
  comment: z.string().optional(),
});
export const feedbackRowSchema = z.object({
  id: z.string(),
  kind: z.enum(['rating', 'citation', 'correction', 'preference']),
  answerId: z.string(),
  question: z.string(),
  user: z.string(),
  ts: z.string(),
  /** The banner inherited from the answer(s). */
  marking: z.string(),
  auditId: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** One thing wrong with a data package (main/packages/problems.ts): its code, the archive entry, what to do. */
export const packageProblemSchema = z.object({ code: z.string(), path: z.string().optional(), message: z.string() });
export const packagePublisherSchema = z.object({ name: z.string(), fingerprint: z.string(), trustedAs: z.string().nullable() });

/** `cairn package verify --json`: ok only with no problems; writes nothing. */
export const packageVerifySchema = z.object({
  ok: z.boolean(),
  packageId: z.string().nullable(),
  publisher: packagePublisherSchema.nullable(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string(), kind: z.string(), marking: z.string() })),
  problems: z.array(packageProblemSchema),
  manifestSha256: z.string().nullable(),
});

/** `cairn package import --json`: every file's outcome and the audit record. */
export const packageImportSchema = z.object({
  packageId: z.string(),
  publisher: packagePublisherSchema,
  manifestSha256: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      sha256: z.string(),
      marking: z.string(),
      status: z.enum(['ingested', 'exists', 'failed']),
      sourceId: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
      attachments: z.number().int().optional(),
    }),
  ),
  ingested: z.number().int(),
  exists: z.number().int(),
  failed: z.number().int(),
  resumed: z.boolean(),
  auditId: z.string().nullable(),
});

/** The trust store of DATA/keys: publisher keys packages may be signed with, and revoked ones. */
/** A provenance or audit-log export, as text the caller saves (audited as `export`). */
export const auditExportSchema = z.object({
  format: z.enum(['prov', 'jsonl']),
  filename: z.string(),
  mime: z.string(),
  content: z.string(),
  sha256: z.string(),
  /** The `export` audit record this export wrote. */
  auditId: z.string(),
});

export const keysListSchema = z.object({
  location: z.string(),
  trusted: z.array(z.object({ name: z.string(), fingerprint: z.string(), file: z.string() })),
  revoked: z.array(z.object({ fingerprint: z.string(), name: z.string(), revokedAt: z.string(), reason: z.string().optional() })),
});

/** DATA/users.json as an administrator sees it; whether a token is issued, never its hash. */
export const usersListSchema = z.object({
  /** False: no users file, a single-user workstation where the local user holds every role. */
  configured: z.boolean(),
  users: z.array(
    z.object({
      name: z.string(),
      roles: z.array(z.string()),
      clearance: z.string(),
      compartments: z.array(z.string()),
      nationality: z.string().optional(),
      token: z.object({ issuedAt: z.string() }).nullable(),
    }),
  ),
});

export const contract = {
  ingest: {
    input: z.object({ paths: z.array(z.string()).min(1), marking: z.string().optional(), password: z.string().optional() }),
    output: ingestSummarySchema,
  },
  search: {
    input: z.object({
      query: z.string().min(1),
      k: z.number().int().min(1).max(1000).default(10),
      /** "LAT,LON" in degrees or an MGRS reference; with radiusKm. */
      near: z.string().optional(),
      radiusKm: z.number().positive().max(20_000).default(10),
      from: z.string().optional(),
      to: z.string().optional(),
      kind: z.array(z.enum(['document', 'image', 'track'])).optional(),
      /** Only sources graded at least this well, e.g. "B2" (reliability A-F, credibility 1-6). */
      grade: z.string().optional(),
    }),
    output: z.object({ query: z.string(), hits: z.array(searchHitSchema) }),
  },
  tracks: {
    input: z.object({
      bbox: bboxSchema.optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      entity: z.string().optional(),
      near: z.string().optional(),
      radiusKm: z.number().positive().max(20_000).default(10),
      limit: z.number().int().min(1).max(1_000_000).default(10_000),
    }),
    output: z.object({ observations: z.array(observationSchema), entities: z.array(z.object({ entity: z.string(), count: z.number(), t0: z.string().nullable(), t1: z.string().nullable() })) }),
  },
  ask: {
    input: z.object({ question: z.string().min(1), model: z.string().min(1).optional(), /** Only passages in this time window (ISO 8601), as search's from/to. */ from: z.string().optional(), to: z.string().optional(), /** Continue this conversation (an id from an earlier answer, or "last"); a new one otherwise. */ conversationId: z.string().min(1).optional() }),
    output: answerSchema,
  },
  conversations: {
    input: z.object({}),
    output: z.array(conversationSummarySchema),
  },
  conversation: {
    input: z.object({ id: z.string().min(1) }),
    output: conversationSchema,
  },
  sources: {
    input: z.object({}),
    output: z.array(sourceSchema),
  },
  auditRecords: {
    input: z.object({}),
    output: z.array(auditRecordSchema),
  },
  auditVerify: {
    input: z.object({}),
    output: verifyResultSchema,
  },
  feedback: {
    input: feedbackInputSchema,
    output: z.object({ ids: z.array(z.string()), auditId: z.string(), marking: z.string() }),
  },
  feedbackList: {
    input: z.object({ answerId: z.string().optional(), kind: z.enum(['rating', 'citation', 'correction', 'preference']).optional() }),
    output: z.array(feedbackRowSchema),
  },
  chunk: {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'a chunk id (64 hex digits)'), neighbours: z.number().int().min(0).max(10).default(1) }),
    output: chunkViewSchema,
  },
  sourceContent: {
    input: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'a source id (64 hex digits)') }),
    output: sourceContentSchema,
  },
  packageVerify: {
    input: z.object({ path: z.string().min(1), trust: z.string().min(1).optional() }),
    output: packageVerifySchema,
  },
  packageImport: {
    input: z.object({ path: z.string().min(1), resume: z.boolean().optional() }),
    output: packageImportSchema,
  },
  keysList: {
    input: z.object({}),
    output: keysListSchema,
  },
  usersList: {
    input: z.object({}),
    output: usersListSchema,
  },
  auditExport: {
    input: z.object({ format: z.enum(['prov', 'jsonl']), answerId: z.string().regex(/^[0-9a-f]{8,64}$/, 'an audit id (hex)').optional() }),
    output: auditExportSchema,
  },
} as const;

export type AskInput = z.input<typeof contract.ask.input>;
export type SearchInput = z.input<typeof contract.search.input>;
export type IngestInput = z.input<typeof contract.ingest.input>;
export type SearchOutput = z.infer<typeof contract.search.output>;
export type AnswerOutput = z.infer<typeof answerSchema>;
export type TracksInput = z.input<typeof contract.tracks.input>;
export type TracksOutput = z.infer<typeof contract.tracks.output>;

export type IngestOutput = z.infer<typeof ingestSummarySchema>;
export type SourceOutput = z.infer<typeof sourceSchema>;
export type AuditRecordOutput = z.infer<typeof auditRecordSchema>;
export type VerifyOutput = z.infer<typeof verifyResultSchema>;
export type ChunkViewOutput = z.infer<typeof chunkViewSchema>;
export type SourceContentOutput = z.infer<typeof sourceContentSchema>;
export type ConversationOutput = z.infer<typeof conversationSchema>;
export type ConversationSummaryOutput = z.infer<typeof conversationSummarySchema>;
export type PackageVerifyOutput = z.infer<typeof packageVerifySchema>;
export type AuditExportOutput = z.infer<typeof auditExportSchema>;
export type PackageImportOutput = z.infer<typeof packageImportSchema>;
export type KeysListOutput = z.infer<typeof keysListSchema>;
export type UsersListOutput = z.infer<typeof usersListSchema>;

/**
 * Events a long operation reports before its result, the same over SSE
 * (`event: <name>`) and IPC (the bridge's `onEvent` callback). Every stream
 * ends with exactly one `result` (the operation's output) or `error`.
 */
export const ingestProgressSchema = z.object({ done: z.number().int(), total: z.number().int(), file: z.string(), status: z.enum(['ingested', 'exists', 'failed']) });
export const sentenceEventSchema = z.object({ index: z.number().int(), text: z.string(), citations: z.array(citationSchema) });

export type StreamEvent =
  | { event: 'progress'; data: z.infer<typeof ingestProgressSchema> }
  | { event: 'sentence'; data: z.infer<typeof sentenceEventSchema> }
  /**
   * The model produced another token (a running count). Its text is withheld:
   * unchecked model output is not an answer and may relay planted instructions.
   */
  | { event: 'token'; data: { count: number; step: number } }
  /** A tool the agent called while answering. */
  | { event: 'tool_start'; data: { callId: string; tool: string; args: Record<string, unknown> } }
  | { event: 'tool_end'; data: { callId: string; tool: string; chunkIds: string[]; ms: number; error?: string } };

/** Every operation's name: the HTTP path `/api/<name>`, the IPC channel `cairn:<name>`, the bridge's `window.cairn.<name>`. */
export type OpName = keyof typeof contract;
export type OpInput<K extends OpName> = z.input<(typeof contract)[K]['input']>;
export type OpOutput<K extends OpName> = z.output<(typeof contract)[K]['output']>;

/** What every transport returns for an error: HTTP `{error: ApiErrorBody}`, IPC `{ok: false, error}`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  input?: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/**
 * `window.cairn` in the Electron renderer (see main/electron/preload.cts):
 * one function per operation, resolving to a result envelope (Electron's
 * context bridge keeps only an Error's message, so errors travel as data).
 */
export type CairnBridge = {
  [K in OpName]: (input: OpInput<K>, onEvent?: (e: StreamEvent) => void) => Promise<ApiResult<OpOutput<K>>>;
};
