import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';

/**
 * LanceDB's plain full-text search over whole documents, default tokenizer
 * and BM25: the baseline every retrieval change is measured against, in the
 * same run, on the same machine.
 */
export class BaselineFtsIndex {
  private constructor(private readonly table: lancedb.Table) {}

  static async build(dir: string, docs: AsyncIterable<{ id: string; text: string }[]> | Iterable<{ id: string; text: string }[]>): Promise<BaselineFtsIndex> {
    const db = await lancedb.connect(dir);
    const schema = new arrow.Schema([new arrow.Field('id', new arrow.Utf8(), false), new arrow.Field('text', new arrow.Utf8(), false)]);
    const table = await db.createEmptyTable('baseline_docs', schema, { mode: 'overwrite' });
    for await (const batch of docs) if (batch.length > 0) await table.add(batch);
    await table.createIndex('text', { config: lancedb.Index.fts() });
    return new BaselineFtsIndex(table);
  }

  async search(query: string, k: number): Promise<string[]> {
    if (query.trim() === '') return [];
    const rows = await this.table.query().fullTextSearch(query).select(['id', '_score']).limit(k).toArray();
    return rows.map((r) => String(r.id));
  }
}
