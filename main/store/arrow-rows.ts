/**
 * Arrow result batches as plain row objects, read column by column. Arrow's
 * own `toArray()` hands out row proxies whose every field read goes through
 * a Proxy trap; on a search's 50 candidates with 16 columns that was a
 * third of the full-text call. Values are what the proxies return
 * (`vector.get(i)`), so rows convert exactly as before.
 */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChild(name: string): { get(index: number): unknown } | null;
}

export function plainRows(table: ArrowTableLike): Record<string, unknown>[] {
  const n = table.numRows;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) rows.push({});
  for (const { name } of table.schema.fields) {
    const column = table.getChild(name);
    if (!column) continue;
    for (let i = 0; i < n; i++) rows[i]![name] = column.get(i);
  }
  return rows;
}
