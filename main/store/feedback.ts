import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { META, SCHEMA_VERSION } from './schema.js';
import type { Visibility } from './store.js';

/**
 * The `feedback` table: analysts' ratings, citation flags, corrections and
 * preferences, one row per feedback write. It lives in the same LanceDB
 * folder as the store's tables but is opened on its own, so feedback works
 * whatever embedder the store is pinned to. Only plain columns are filtered
 * on (kind, answer, user, marking); the rest of a row is JSON in `data`.
 */
export interface FeedbackRow {
  /** sha256 hex, assigned by the caller. */
  id: string;
  kind: 'rating' | 'citation' | 'correction' | 'preference';
  /** The audit id of the answer the feedback is about. */
  answerId: string;
  question: string;
  user: string;
  /** ISO 8601 UTC. */
  ts: string;
  /** The banner inherited from the answer(s): readers must be cleared for it. */
  marking: string;
  /** The audit id of the record that logged this feedback. */
  auditId: string;
  /** Kind-specific fields as JSON. */
  data: Record<string, unknown>;
}

const COLUMNS = ['id', 'kind', 'answerId', 'question', 'user', 'ts', 'marking', 'auditId', 'data'];

export function feedbackSchema(): arrow.Schema {
  return new arrow.Schema(
    COLUMNS.map((c) => new arrow.Field(c, new arrow.Utf8(), false)),
    new Map([[META.schemaVersion, SCHEMA_VERSION]]),
  );
}

const HEX_ID = /^[0-9a-f]{64}$/;

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function fromRow(r: Record<string, unknown>): FeedbackRow {
  return {
    id: String(r.id),
    kind: String(r.kind) as FeedbackRow['kind'],
    answerId: String(r.answerId),
    question: String(r.question),
    user: String(r.user),
    ts: String(r.ts),
    marking: String(r.marking),
    auditId: String(r.auditId),
    data: JSON.parse(String(r.data)) as Record<string, unknown>,
  };
}

export interface FeedbackQuery {
  answerId?: string;
  kind?: FeedbackRow['kind'];
}

export class FeedbackTable {
  private constructor(private readonly table: lancedb.Table) {}

  static async open(dataDir: string): Promise<FeedbackTable> {
    const dir = path.join(dataDir, 'store');
    await mkdir(dir, { recursive: true });
    const db = await lancedb.connect(dir, { readConsistencyInterval: 0 });
    const names = new Set(await db.tableNames());
    const table = names.has('feedback') ? await db.openTable('feedback') : await db.createEmptyTable('feedback', feedbackSchema(), { existOk: true });
    return new FeedbackTable(table);
  }

  async add(row: FeedbackRow): Promise<void> {
    await this.table.add([{ ...row, data: JSON.stringify(row.data) }]);
  }

  /** Every distinct marking held, so access checks run on a small set. */
  async markings(): Promise<Set<string>> {
    return new Set((await this.table.query().select(['marking']).toArray()).map((r) => String(r.marking)));
  }

  /** Rows the reader may see (the marking filter runs in the query), oldest first. */
  async list(visible: Visibility, q: FeedbackQuery = {}): Promise<FeedbackRow[]> {
    const parts: string[] = [];
    if (visible !== null) parts.push(visible.size === 0 ? '1 = 0' : `marking IN (${[...visible].map(quote).join(', ')})`);
    if (q.answerId !== undefined) parts.push(HEX_ID.test(q.answerId) ? `answerId = '${q.answerId}'` : '1 = 0');
    if (q.kind !== undefined) parts.push(`kind = ${quote(q.kind)}`);
    let query = this.table.query().select(COLUMNS);
    if (parts.length > 0) query = query.where(parts.map((p) => `(${p})`).join(' AND '));
    const rows = await query.toArray();
    return rows.map((r) => fromRow(r as Record<string, unknown>)).sort((a, b) => a.ts.localeCompare(b.ts) || a.id.localeCompare(b.id));
  }
}
