import os from 'node:os';
import { indexUpkeep, ingestPaths, type IngestProgress, type IngestSummary } from '../../ingest/pipeline.js';
import { defaultMarking, formatBanner, loadPolicy, type Marking, type MarkingPolicy, parseMarking, rollUp } from '../access/index.js';
import { answerQuestion, depsFromStore, resolveProvider, type AgentEvent, type AnswerProvider } from '../agent/index.js';
import { composeExtractive, EXTRACTIVE_COMPOSER, EXTRACTIVE_DEFAULTS } from '../agent/extractive.js';
import { AuditLog } from '../audit/log.js';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { Citation, Source } from '../core/types.js';
import type { Embedder } from '../embed/embedder.js';
import { HashedEmbedder } from '../embed/hashed.js';
import { embedderForId, listEmbedders, loadEmbedder, type EmbedderChoice } from '../embed/registry.js';
import { reembedStore, type ReembedProgress, type ReembedResult } from '../store/reembed.js';
import { evalRetrieval, type RetrievalReport } from '../eval/retrieval.js';
import { ANALYSIS_VERSION } from '../search/analyse.js';
import { defaultFusion, hybridSearch, SEARCH_DEFAULTS, type SearchHit, type SearchOptions } from '../search/hybrid.js';
import { configuredReranker } from '../search/reranker-loader.js';
import type { Reranker } from '../search/rerank.js';
import { rerankHits } from '../search/rerank.js';
import { boxAround, distanceKm, parsePlace } from '../search/place-time.js';
import { GradeBook } from '../reports/grade-book.js';
import { parseGradeFilter } from '../reports/grade.js';
import { Store, type Visibility } from '../store/store.js';
import { loadUser, readableMarkings, type UserProfile } from '../access/users.js';
import { type AnswerOutput, contract, type AskInput, type IngestInput, type SearchInput, type SearchOutput, type TracksInput, type TracksOutput } from './contract.js';
import { chunkView, sourceBytes, type SourceBytes } from './viewer.js';
import { ConversationStore, type ConversationSummary } from '../agent/conversation-store.js';
import { type ConversationAccess, ConversationSession, conversationView, listConversations } from './conversations.js';
import type { ConversationOutput } from './contract.js';
import { imageryAndTracks } from './agent-deps.js';
import type { AuditExportOutput, ChunkViewOutput, SourceContentOutput } from './contract.js';
import { answerProvenance } from '../exports/index.js';
import { depsFor } from '../reports/index.js';
import { FeedbackTable } from '../store/feedback.js';
import { listFeedback, recordFeedback, type FeedbackInput, type FeedbackResult } from '../feedback/service.js';
import type { FeedbackRow } from '../store/feedback.js';
import { type Action, authorize, may } from './permissions.js';
import type { AuditRecord } from '../audit/record.js';
import { type CheckpointReason, readCheckpointFile } from '../audit/checkpoint.js';
import type { SignatureReport } from '../audit/checkpoint-verify.js';
import type { VerifyResult } from '../audit/verify.js';
import { readPrivateKeyFile } from '../packages/keys.js';
import { replayAsk, type ReplayReport } from './replay.js';
import { CorpusModelCache, refreshCorpusModel, usableBy } from '../search/corpus-model.js';
import { CorpusTrainer } from '../search/corpus-trainer.js';
import { configuredSearchOptions, loadSearchConfig } from '../search/config.js';
import { importPackageFile, listKeys, listUsers, verifyPackageFile } from './admin.js';
import type { KeysListOutput, PackageImportOutput, PackageVerifyOutput, UsersListOutput } from './contract.js';
import type { ImportProgress, PackageIngest } from '../packages/index.js';

export const NO_EVIDENCE_ANSWER = 'No relevant passages were found in the loaded sources for this question.';

/** How many fused hits the composer reads. */
const ASK_RETRIEVAL_K = 8;

export interface CairnOptions {
  /** Who is acting, recorded in the audit log. */
  actor?: string;
  embedder?: Embedder;
  /** Marking policy file an administrator supplied; the built-in one otherwise. */
  policyPath?: string;
  /**
   * Return from ingest and package import once the sources are stored and
   * searchable, and retrain the corpus word vectors in the background
   * (`idle()` waits for it); ingest's index upkeep (compaction, folding the
   * full-text index forward) runs there too, first. For interactive hosts (app, server); off by
   * default so the CLI, evals and tests see the model ingest trained.
   */
  trainInBackground?: boolean;
}

/**
 * How long an exiting app or server waits for background upkeep and
 * training (`idle`): long enough for a small store's run to finish, short
 * enough that quitting never feels hung (a large store trains for minutes).
 */
export const SHUTDOWN_IDLE_MS = 5_000;

function zodInput<T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new CairnError('BAD_INPUT', `invalid input: ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'unknown problem'}`);
}

/**
 * The handlers behind the contract: plain Node, no idea which transport
 * called. One instance per data folder.
 */
export class Cairn {
  private constructor(
    readonly dataDir: string,
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly embedder: Embedder,
    private readonly policy: MarkingPolicy,
    readonly actor: string,
    private readonly user: UserProfile,
  ) {}

  static async open(dataDir: string, opts: CairnOptions = {}): Promise<Cairn> {
    // A store stays with the embedder it was built with; a new one gets the built-in default.
    const pinned = opts.embedder ? null : await Store.pinnedEmbedder(dataDir);
    const embedder = opts.embedder ?? (pinned ? await embedderForId(pinned.id, dataDir) : new HashedEmbedder());
    const [store, audit, policy] = await Promise.all([
      Store.open(dataDir, { embedderId: embedder.id, dimension: embedder.dimension }),
      AuditLog.open(dataDir),
      loadPolicy(opts.policyPath),
    ]);
    const actor = opts.actor ?? process.env.CAIRN_USER ?? os.userInfo().username;
    const user = await loadUser(dataDir, actor, policy);
    const cairn = new Cairn(dataDir, store, audit, embedder, policy, actor, user);
    cairn.reranker = await configuredReranker(dataDir);
    cairn.searchSettings = configuredSearchOptions(await loadSearchConfig(dataDir));
    cairn.trainInBackground = opts.trainInBackground === true;
    // A long-running host brings an older store up to date behind its first requests (document rows, model).
    if (cairn.trainInBackground) void cairn.corpusTrainer.request();
    return cairn;
  }

  /** The marking policy in force (the administrator's file, or the built-in one). */
  get markingPolicy(): MarkingPolicy {
    return this.policy;
  }

  /** The acting user's roles (all three without a users file). */
  get roles(): readonly string[] {
    return this.user.roles;
  }

  /** Throws FORBIDDEN unless the acting user's roles allow this (the table is permissions.ts). */
  authorize(action: Action): void {
    authorize(this.user, action);
  }

  /**
   * The same service acting as another user (an HTTP caller's token): same
   * store, audit log, embedder and policy, that user's clearance and roles.
   * users.json is read again, so a changed clearance applies at once.
   */
  async forUser(name: string): Promise<Cairn> {
    const c = new Cairn(this.dataDir, this.store, this.audit, this.embedder, this.policy, name, await loadUser(this.dataDir, name, this.policy));
    c.reranker = this.reranker;
    c.searchSettings = this.searchSettings;
    c.conversations_ = this.conversationStore;
    c.sharedWith = this.sharedWith ?? this;
    return c;
  }

  /** Markings of the given passages this user may read (others are absent). */
  async chunkMarkings(ids: readonly string[]): Promise<Map<string, string>> {
    return new Map((await this.store.getChunks(ids, await this.visibility())).map((c) => [c.id, c.marking]));
  }

  /** What this user may read, as a filter the store applies before ranking. */
  private async visibility(): Promise<Visibility> {
    return this.user.access ? readableMarkings(this.user, await this.store.markings(), this.policy) : null;
  }

  /** A user-supplied marking, checked against the policy; the policy's lowest level when absent. */
  private batchMarking(marking?: string): Marking {
    return marking === undefined || marking.trim() === '' ? defaultMarking(this.policy) : parseMarking(marking, this.policy);
  }

  /** The administrator's cross-encoder (DATA/config.json search.reranker), if any. */
  private reranker: { reranker: Reranker; depth: number } | null = null;

  /**
   * Hybrid retrieval, then the cross-encoder over the first candidates when
   * one is configured: it sees max(k, depth) candidates so it can lift a
   * passage the first stage ranked just below k.
   */
  private async retrieve(query: string, opts: SearchOptions & { k: number }): Promise<SearchHit[]> {
    // Word vectors learnt from this corpus, for readers cleared for everything they learnt from.
    const model = await this.corpusModel.get();
    opts = { ...this.searchSettings, ...(model && usableBy(model, opts.visible ?? null) ? { termVectors: model.vectors } : {}), ...opts };
    if (!this.reranker) return hybridSearch(this.store, this.embedder, query, opts);
    const { reranker, depth } = this.reranker;
    const hits = await hybridSearch(this.store, this.embedder, query, { ...opts, k: Math.max(opts.k, depth) });
    return (await rerankHits(query, hits, reranker, depth)).slice(0, opts.k);
  }

  /**
   * What ranked an answer's passages, for its audit record: the embedder,
   * fusion, weights from DATA/config.json, the corpus word-vector model (or
   * why it was not used for this reader) and any reranker.
   */
  private async retrievalRecord(visible: Visibility, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const model = await this.corpusModel.get();
    const wordVectors = !model
      ? 'none trained'
      : usableBy(model, visible)
        ? { passages: model.passages, trainedAt: model.trainedAt, dimension: model.vectors.dimension }
        : 'not used: the reader is not cleared for every marking it learnt from';
    return {
      method: 'hybrid', fusion: defaultFusion(this.embedder), embedder: this.embedder.id, candidates: SEARCH_DEFAULTS.candidates,
      settings: this.searchSettings.termVectors ? { ...this.searchSettings, termVectors: undefined } : this.searchSettings, wordVectors,
      // Whole-document scores count only once every source has its row (an older store is backfilled first).
      documentEvidence: { weight: this.searchSettings.documentWeight ?? SEARCH_DEFAULTS.documentWeight, used: this.store.documentsComplete },
      // The full-text analyser's version (stemming, segmentation): a replay after an upgrade says when it changed.
      analysis: ANALYSIS_VERSION,
      ...(this.reranker ? { reranker: this.reranker.reranker.id, rerankDepth: this.reranker.depth } : {}), ...extra,
    };
  }

  async ingest(input: IngestInput, onProgress?: (e: IngestProgress) => void): Promise<IngestSummary> {
    this.authorize('ingest');
    const { paths, marking, password } = zodInput(contract.ingest.input, input);
    const summary = await ingestPaths(paths, { store: this.store, embedder: this.embedder, audit: this.audit, actor: this.actor, dataDir: this.dataDir }, {
      marking: this.batchMarking(marking),
      policy: this.policy,
      password,
      onProgress,
      // In the background with the training: sources are searchable before the index is folded forward.
      deferIndexUpkeep: this.inBackground,
    });
    if (this.inBackground && summary.ingested > 0) (this.sharedWith ?? this).upkeepPending = true;
    await this.upkeepAfterNewSources();
    return summary;
  }

  /** Whether ingest returns before the corpus model is retrained (CairnOptions.trainInBackground); the owner's setting. */
  private trainInBackground = false;
  private get inBackground(): boolean {
    return (this.sharedWith ?? this).trainInBackground;
  }
  /** An ingest left its index upkeep to the background run (owner's flag). */
  private upkeepPending = false;
  private corpusTrainer_: CorpusTrainer | null = null;
  private get corpusTrainer(): CorpusTrainer {
    // One trainer per data folder instance: per-user instances (forUser) share their owner's.
    const owner = this.sharedWith ?? this;
    return (owner.corpusTrainer_ ??= new CorpusTrainer(async () => {
      if (owner.upkeepPending) {
        owner.upkeepPending = false;
        await indexUpkeep({ store: owner.store, embedder: owner.embedder });
      }
      // Sources stored before document rows existed get theirs (once per process; a no-op when complete).
      await owner.store.backfillDocuments().catch(() => undefined);
      await refreshCorpusModel(owner.store, owner.dataDir);
    }));
  }

  /** After new sources: index upkeep (if deferred) and a corpus-model retrain if the store grew enough; waited for unless in the background. */
  private async upkeepAfterNewSources(): Promise<void> {
    const done = this.corpusTrainer.request();
    if (!this.inBackground) await done;
  }

  /**
   * Resolves when no index upkeep or corpus-model training is running or
   * pending for this data folder, or after `maxWaitMs` (returning false) if
   * given. A host with trainInBackground awaits it before exiting; a bounded
   * wait is safe there: the model file is written to a temporary name and
   * renamed, LanceDB commits versions atomically, so a cut-off run leaves
   * the previous model and index, and the next ingest retrains.
   */
  async idle(opts: { maxWaitMs?: number } = {}): Promise<boolean> {
    const done = this.corpusTrainer.idle().then(() => true);
    if (opts.maxWaitMs === undefined) return done;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), opts.maxWaitMs)));
    try {
      return await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** DATA/store/term-vectors.json, reloaded when another process retrains it. */
  private corpusModelCache: CorpusModelCache | null = null;
  /** Ranking weights from DATA/config.json "search" (main/search/config.ts). */
  private searchSettings: SearchOptions = {};
  private get corpusModel(): CorpusModelCache {
    // One cache per data folder: per-user instances (forUser) share their owner's.
    const owner = this.sharedWith ?? this;
    return (owner.corpusModelCache ??= new CorpusModelCache(this.dataDir));
  }

  async search(input: SearchInput): Promise<SearchOutput> {
    this.authorize('search');
    const { query, k, near, radiusKm, from, to, kind, grade } = zodInput(contract.search.input, input);
    const visible = await this.visibility();
    // Grades live beside the store (set by analysts or package manifests): resolved to source ids here.
    const sourceIds = grade ? (await GradeBook.load(this.dataDir)).matching(await this.store.listSources(visible), parseGradeFilter(grade)) : undefined;
    const filter = { ...(near ? { near: { ...parsePlace(near), radiusKm } } : {}), from, to, kinds: kind, sourceIds };
    const hits = await this.retrieve(query, { k, visible, filter });
    return {
      query,
      hits: hits.map((h, i) => ({
        rank: i + 1,
        score: h.score,
        chunkId: h.id,
        sourceId: h.sourceId,
        title: h.title,
        locator: { page: h.page, start: h.start, end: h.end },
        ...(h.locator ? { place: h.locator } : {}),
        marking: h.marking,
        text: h.text,
      })),
    };
  }

  /**
   * Answers with the extractive composer unless a model is named or
   * configured; a model's answer passes the citation check sentence by
   * sentence, and any model failure falls back to the extractive answer.
   */
  async ask(input: AskInput, events?: { signal?: AbortSignal; onEvent?: (e: AgentEvent) => void }): Promise<AnswerOutput> {
    this.authorize('ask');
    const { question, model, from, to, conversationId } = zodInput(contract.ask.input, input);
    const { provider, note } = await resolveProvider(model, this.dataDir);
    // A time window (the timeline's) narrows retrieval as it does search.
    const filter = from || to ? { from, to } : undefined;
    // Every answer belongs to a conversation (new unless one is named), saved after the turn.
    return ConversationSession.with(this.conversationStore, conversationId, { ...this.conversationAccess(), ...(filter ? { window: filter } : {}) }, async (session) => {
      const before = session.turnCount;
      const out = provider.mode === 'chat' ? await this.askModel(question, provider, note, events, filter, session) : await this.askExtractive(question, filter, session);
      session.noteAudit(before, out.auditId);
      await session.save();
      return { ...out, conversationId: session.id };
    });
  }

  private conversations_: ConversationStore | undefined;

  private get conversationStore(): ConversationStore {
    return (this.conversations_ ??= ConversationStore.forDataDir(this.dataDir));
  }

  private conversationAccess(): ConversationAccess {
    return { actor: this.actor, policy: this.policy, readable: (ms) => (this.user.access ? readableMarkings(this.user, ms, this.policy) : null) };
  }

  /** This user's conversations, most recent first. */
  async conversations(): Promise<ConversationSummary[]> {
    this.authorize('conversations');
    return listConversations(this.conversationStore, this.conversationAccess());
  }

  /** One of this user's conversations; passages above their clearance are withheld. */
  async conversation(input: { id: string }): Promise<ConversationOutput> {
    this.authorize('conversation');
    return conversationView(this.conversationStore, zodInput(contract.conversation.input, input).id, this.conversationAccess());
  }

  private async askModel(question: string, provider: AnswerProvider, providerNote: string | undefined, events?: { signal?: AbortSignal; onEvent?: (e: AgentEvent) => void }, filter?: { from?: string; to?: string }, session?: ConversationSession): Promise<AnswerOutput> {
    const visible = await this.visibility();
    const deps = depsFromStore(
      { getChunks: (ids) => this.store.getChunks(ids, visible), getSource: (id) => this.store.getSource(id), chunksOfSource: (id, a, b) => this.store.chunksOfSource(id, a, b, visible), listSources: () => this.store.listSources(visible) },
      (q, k) => this.retrieve(q, { k, visible, filter }),
      imageryAndTracks(this.store, this.embedder, visible, filter),
    );
    const a = await answerQuestion(question, { provider, deps, signal: events?.signal, onEvent: events?.onEvent, conversation: session?.conversation, seedQuery: session?.followUp(question).query });
    const supported = a.sentences.filter((x) => x.supported && x.citations.length > 0).map((x) => ({ text: x.text, citations: x.citations }));
    const unsupported = a.sentences.filter((x) => !x.supported).map((x) => ({ text: x.text, reason: x.reason }));
    const markingOf = new Map(a.retrieved.map((r) => [r.chunkId, r.marking]));
    const cited = a.citations.map((c) => markingOf.get(c.chunkId) ?? '').filter((m) => m !== '');
    const banner = formatBanner(rollUp(cited.map((m) => parseMarking(m, this.policy)), this.policy));
    const answer = a.found && supported.length > 0 ? supported.map((x) => x.text).join(' ') : NO_EVIDENCE_ANSWER;
    const note = [providerNote, a.note].filter(Boolean).join(' ') || undefined;
    const record = await this.audit.append(this.actor, 'ask', {
      question,
      user: this.actor,
      ...(session ? { conversationId: session.id } : {}),
      ...(filter ? { window: filter } : {}),
      retrieval: await this.retrievalRecord(visible),
      model: a.model,
      status: a.status,
      note,
      promptHash: a.promptHash,
      nonce: a.nonce,
      rawOutputHash: a.rawOutputHash,
      toolCalls: a.toolCalls,
      retrieved: a.retrieved,
      check: a.check,
      answer,
      sentences: supported,
      unsupported,
      citations: a.citations,
      banner,
    });
    return { answer, sentences: supported, citations: a.citations, banner, auditId: record.hash, model: a.model.id, status: a.status, ...(note ? { note } : {}), ...(unsupported.length ? { unsupported } : {}) };
  }

  private async askExtractive(question: string, filter?: { from?: string; to?: string }, session?: ConversationSession): Promise<AnswerOutput> {
    // A follow-up ("and when did it leave?") retrieves with the earlier questions' subject, and may cite passages cited before.
    const followUp = session?.followUp(question);
    const visible = await this.visibility();
    const hits = await this.retrieve(followUp?.query ?? question, { k: ASK_RETRIEVAL_K, visible, filter });
    const earlier = (session?.earlierCited() ?? []).filter((c) => !hits.some((h) => h.id === c.id));
    const pool = [...hits, ...earlier];
    const composed = composeExtractive(question, pool, { maxChunks: pool.length, ...(followUp?.isFollowUp && session ? { contextTerms: followUp.contextTerms } : {}) });
    const sentences = composed.sentences;
    const citations: Citation[] = [];
    const seen = new Set<string>();
    for (const c of sentences.flatMap((s) => s.citations)) {
      const key = `${c.chunkId}:${c.start}:${c.end}`;
      if (!seen.has(key)) {
        seen.add(key);
        citations.push(c);
      }
    }
    const markingOf = new Map(pool.map((h) => [h.id, h.marking]));
    const cited = citations.map((c) => markingOf.get(c.chunkId) ?? '').filter((m) => m !== '');
    const banner = formatBanner(rollUp(cited.map((m) => parseMarking(m, this.policy)), this.policy));
    const answer = composed.found ? sentences.map((s) => s.text).join(' ') : NO_EVIDENCE_ANSWER;
    session?.addExtractiveTurn(question, answer, pool, sentences);
    const record = await this.audit.append(this.actor, 'ask', {
      question,
      user: this.actor,
      ...(session ? { conversationId: session.id } : {}),
      ...(followUp?.isFollowUp ? { followUpQuery: followUp.query } : {}),
      // Passages cited earlier in the conversation that this answer could also cite.
      ...(earlier.length ? { earlierCited: earlier.map((c) => ({ chunkId: c.id, sourceId: c.sourceId, contentHash: sha256Hex(c.text) })) } : {}),
      clearance: this.user.access ? { level: this.user.access.clearance.name, compartments: this.user.access.compartments, nationality: this.user.access.nationality } : 'unrestricted (no users file)',
      retrieval: await this.retrievalRecord(visible, { k: ASK_RETRIEVAL_K, ...(filter ? { window: filter } : {}) }),
      retrieved: hits.map((h) => ({ chunkId: h.id, sourceId: h.sourceId, contentHash: sha256Hex(h.text), score: h.score, textRank: h.textRank, vectorRank: h.vectorRank })),
      model: { id: EXTRACTIVE_COMPOSER.id, version: EXTRACTIVE_COMPOSER.version, parameters: EXTRACTIVE_DEFAULTS },
      bestCoverage: composed.bestCoverage,
      answer,
      sentences,
      citations,
      banner,
    });
    return { answer, sentences, citations, banner, auditId: record.hash, model: EXTRACTIVE_COMPOSER.id, status: 'answered' };
  }

  /** Track points in an area and time window, grouped summary per entity. */
  async tracks(input: TracksInput): Promise<TracksOutput> {
    this.authorize('tracks');
    const { limit, near, radiusKm, ...rest } = zodInput(contract.tracks.input, input);
    const centre = near ? parsePlace(near) : null;
    const filter = centre ? { ...rest, bbox: boxAround(centre.lat, centre.lon, radiusKm) } : rest;
    let observations = await this.store.queryObservations(filter, limit, await this.visibility());
    if (centre) observations = observations.filter((o) => distanceKm(centre, o) <= radiusKm);
    const byEntity = new Map<string, { entity: string; count: number; t0: string | null; t1: string | null }>();
    for (const o of observations) {
      const e = byEntity.get(o.entity) ?? { entity: o.entity, count: 0, t0: null, t1: null };
      e.count++;
      if (o.t && (!e.t0 || o.t < e.t0)) e.t0 = o.t;
      if (o.t && (!e.t1 || o.t > e.t1)) e.t1 = o.t;
      byEntity.set(o.entity, e);
    }
    return { observations, entities: [...byEntity.values()] };
  }

  /** A passage with its neighbours, for the source viewer (marking-filtered). */
  async chunk(input: { id: string; neighbours?: number }): Promise<ChunkViewOutput> {
    this.authorize('chunk');
    const { id, neighbours } = zodInput(contract.chunk.input, input);
    return chunkView({ store: this.store, dataDir: this.dataDir, visible: await this.visibility() }, id, neighbours);
  }

  /** The original of a PDF or image as bytes (HTTP serves these raw). */
  async sourceBytes(id: string): Promise<SourceBytes> {
    this.authorize('sourceContent');
    return sourceBytes({ store: this.store, dataDir: this.dataDir, visible: await this.visibility() }, zodInput(contract.sourceContent.input, { id }).id);
  }

  /** The verdict on a package file on the server's disk; writes nothing, so every role may ask. */
  async packageVerify(input: { path: string; trust?: string }): Promise<PackageVerifyOutput> {
    this.authorize('packageVerify');
    const { path: file, trust } = zodInput(contract.packageVerify.input, input);
    return verifyPackageFile(this.dataDir, file, trust, this.policy);
  }

  /** Verifies, then ingests a package into this store (DATA/keys decides whom to trust); see main/packages/import.ts. */
  async packageImport(input: { path: string; resume?: boolean }, onProgress?: (p: ImportProgress) => void): Promise<PackageImportOutput> {
    this.authorize('packageImport');
    const { path: file, resume } = zodInput(contract.packageImport.input, input);
    const ingest: PackageIngest = (paths, o) =>
      ingestPaths(paths, { store: this.store, embedder: this.embedder, audit: this.audit, actor: this.actor, dataDir: this.dataDir }, { marking: parseMarking(o.marking, this.policy), policy: this.policy, packageId: o.packageId, provenance: o.provenance, onProgress: o.onProgress });
    const r = await importPackageFile(file, { ingest, audit: this.audit, actor: this.actor, dataDir: this.dataDir, policy: this.policy, onProgress }, resume);
    await this.upkeepAfterNewSources();
    return r;
  }

  async keysList(): Promise<KeysListOutput> {
    this.authorize('keysList');
    return listKeys(this.dataDir);
  }

  async usersList(): Promise<UsersListOutput> {
    this.authorize('usersList');
    return listUsers(this.dataDir);
  }

  /** The original, base64 in JSON, for transports without raw bytes (IPC). */
  async sourceContent(input: { id: string }): Promise<SourceContentOutput> {
    const b = await this.sourceBytes(input.id);
    return { id: b.id, mime: b.mime, bytes: b.bytes.byteLength, base64: b.bytes.toString('base64') };
  }

  async sources(): Promise<Source[]> {
    this.authorize('sources');
    return this.store.listSources(await this.visibility());
  }

  /** The audit records this user may read: all of them for reviewers and administrators, otherwise only their own. */
  /**
   * An answer's provenance (PROV-JSON) or audit records (JSON Lines) as text
   * for the caller to save; the export itself is audited. Another user's
   * answer needs the reviewer or administrator role (auditRecord checks).
   */
  async auditExport(input: { format: 'prov' | 'jsonl'; answerId?: string }): Promise<AuditExportOutput> {
    this.authorize('auditExport');
    const { format, answerId } = zodInput(contract.auditExport.input, input);
    let content: string;
    let filename: string;
    let payload: Record<string, unknown>;
    if (format === 'prov') {
      if (!answerId) throw new CairnError('BAD_INPUT', 'a PROV export needs answerId: the auditId of an ask', { input: 'answerId' });
      await this.auditRecord(answerId);
      const { answer, document } = await answerProvenance(await depsFor(this), answerId);
      content = `${JSON.stringify(document, null, 2)}\n`;
      filename = `cairn-prov-${answer.slice(0, 12)}.json`;
      payload = { format: 'prov-json', answers: [answer] };
    } else {
      const records = answerId ? [await this.auditRecord(answerId)] : await this.auditRecords();
      content = records.map((r) => `${JSON.stringify(r)}\n`).join('');
      filename = answerId ? `cairn-audit-${answerId.slice(0, 12)}.jsonl` : 'cairn-audit.jsonl';
      payload = { format: 'audit-jsonl', records: records.length, ...(answerId ? { answers: [records[0]!.hash] } : {}) };
    }
    const sha256 = sha256Hex(content);
    const rec = await this.audit.append(this.actor, 'export', { ...payload, file: '(sent to the caller)', sha256, bytes: Buffer.byteLength(content), user: this.actor });
    return { format, filename, mime: format === 'prov' ? 'application/json' : 'application/x-ndjson', content, sha256, auditId: rec.hash };
  }

  async auditRecords(): ReturnType<AuditLog['read']> {
    this.authorize('auditRecords');
    const records = await this.audit.read();
    return may(this.user, 'auditReadAll') ? records : records.filter((r) => r.actor === this.actor);
  }

  private feedbackTable: Promise<FeedbackTable> | null = null;
  /** The instance forUser derived this one from: the feedback table is opened once, there. */
  private sharedWith: Cairn | undefined;

  private async feedbackContext(): Promise<Parameters<typeof recordFeedback>[0]> {
    const owner = this.sharedWith ?? this;
    owner.feedbackTable ??= FeedbackTable.open(this.dataDir);
    return { table: await owner.feedbackTable, audit: this.audit, user: this.user, policy: this.policy };
  }

  /** Records feedback on an answer (audited first; inherits the answer's banner). */
  async feedback(input: FeedbackInput): Promise<FeedbackResult> {
    this.authorize('feedback');
    return recordFeedback(await this.feedbackContext(), zodInput(contract.feedback.input, input));
  }

  /** Feedback this user is cleared to read, oldest first. */
  async feedbackList(input: { answerId?: string; kind?: FeedbackRow['kind'] } = {}): Promise<FeedbackRow[]> {
    this.authorize('feedbackList');
    const rows = await listFeedback(await this.feedbackContext(), zodInput(contract.feedbackList.input, input));
    // Like the audit log: reviewers and administrators read everyone's feedback, others their own.
    return may(this.user, 'auditReadAll') ? rows : rows.filter((r) => r.user === this.actor);
  }

  /**
   * Everyone may check the chain; the sentence describing a broken record can
   * quote its content (a JSON parse error does), so only those who may read
   * every record get it.
   */
  async auditVerify(opts: { trust?: string; expectHead?: string; checkpointFile?: string } = {}): Promise<VerifyResult & Partial<SignatureReport>> {
    this.authorize('auditVerify');
    // The chain and every checkpoint signature (the result adds checkpoint fields to the chain result).
    const r = await this.audit.verifySigned({ trust: opts.trust, expectHead: opts.expectHead, file: opts.checkpointFile ? await readCheckpointFile(opts.checkpointFile) : undefined });
    if (r.ok || may(this.user, 'auditReadAll')) return r;
    return { ...r, firstBroken: { ...r.firstBroken, message: `the audit log is broken at line ${r.firstBroken.line} (${r.firstBroken.reason}); a reviewer or administrator can see the details` } };
  }

  /**
   * Signs the audit log's head now (shutdown, or on request) with the
   * installation key, or the Ed25519 key file given. Null when the log is
   * empty or already ends with a checkpoint.
   */
  async auditCheckpoint(opts: { keyFile?: string; reason?: CheckpointReason; force?: boolean } = {}): Promise<AuditRecord | null> {
    this.authorize('auditVerify');
    // Any user may seal the head with the installation key; a checkpoint under another key makes verify fail for everyone until it is trusted, so that is an administrator's call.
    if (opts.keyFile) this.authorize('keysManage');
    const key = opts.keyFile ? await readPrivateKeyFile(opts.keyFile) : undefined;
    return this.audit.checkpoint(this.actor, { reason: opts.reason ?? 'requested', key, force: opts.force });
  }

  /** An audit record this user may read (their own, or any for reviewers and administrators). */
  async auditRecord(id: string): Promise<AuditRecord> {
    this.authorize('auditRecords');
    // Short all-digit ids are seqs; 8+ hex digits are a hash prefix (which may be all digits).
    const record = await this.audit.find(/^\d{1,7}$/.test(id) ? Number(id) : id);
    if (!record) throw new CairnError('NOT_FOUND', `no audit record ${id}; an answer's id is the auditId \`cairn ask --json\` printed`, { input: id });
    if (record.actor !== this.actor) this.authorize('auditReadAll');
    return record;
  }

  /**
   * Re-runs a recorded ask against the store as it is now, with the recorded
   * user's clearance and settings, and says what changed. Audited as 'audit.replay'.
   */
  async auditReplay(id: string): Promise<ReplayReport & { replayAuditId: string }> {
    this.authorize('ask');
    const record = await this.auditRecord(id);
    const user = typeof (record.payload as { user?: unknown })?.user === 'string' ? (record.payload as { user: string }).user : record.actor;
    const as = user === this.actor ? this : await this.forUser(user);
    const visible = await as.visibility();
    const report = await replayAsk(record, {
      retrieve: (q, k, filter, ranking) => as.retrieve(q, { k, visible, filter, ...ranking }),
      chunksById: async (ids) => {
        const chunks = await as.store.getChunks(ids, visible);
        const titles = new Map((await as.store.listSources(visible)).map((s) => [s.id, s.title]));
        // A chunk whose source row is gone is not in the store (readers never see orphans).
        return chunks.filter((c) => titles.has(c.sourceId)).map((c) => ({ ...c, score: 0, title: titles.get(c.sourceId)! }));
      },
      noEvidenceAnswer: NO_EVIDENCE_ANSWER,
    });
    const d = report.diff;
    const replayRecord = await this.audit.append(this.actor, 'audit.replay', {
      of: report.auditId,
      question: report.question,
      user,
      mode: report.mode,
      same: report.same,
      added: d.chunks.added.map((c) => c.chunkId),
      removed: d.chunks.removed.map((c) => ({ chunkId: c.chunkId, why: c.why })),
      changedContent: d.chunks.changedContent.map((c) => c.chunkId),
      citationsAdded: d.citations.added,
      citationsRemoved: d.citations.removed,
      sentencesChanged: d.sentences.added.length + d.sentences.removed.length,
      retrieved: report.replayed.retrieved,
    });
    return { ...report, user, replayAuditId: replayRecord.hash };
  }

  async auditRepair(): ReturnType<AuditLog['repair']> {
    this.authorize('auditRepair');
    return this.audit.repair();
  }

  /** The embedders available here and the one the store is pinned to. */
  async embedders(): Promise<{ active: string; dimension: number; available: EmbedderChoice[] }> {
    return { active: this.embedder.id, dimension: this.embedder.dimension, available: await listEmbedders(this.dataDir) };
  }

  /**
   * Switches the store to another embedder by re-embedding every chunk into
   * a new table (resumable; the old table serves until the switch). Open a
   * new Cairn afterwards to use it.
   */
  async reembed(name: string, onProgress?: (p: ReembedProgress) => void): Promise<ReembedResult> {
    this.authorize('reembed');
    const target = await loadEmbedder(name, this.dataDir);
    const result = await this.store.withWriteLock(() => reembedStore(this.dataDir, target, onProgress));
    await this.audit.append(this.actor, 'store.reembed', result);
    return result;
  }

  async evalRetrieval(dir: string, onProgress?: (done: number, total: number, phase: 'index' | 'search') => void): Promise<RetrievalReport> {
    return evalRetrieval(dir, { embedder: this.embedder, onProgress });
  }
}
