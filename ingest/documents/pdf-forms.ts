import type { PDFParse } from 'pdf-parse';

/** The slice of pdf.js's document proxy used here (see its getFieldObjects). */
interface FieldObject {
  type?: string;
  value?: unknown;
  password?: boolean;
  /** 0-based page index. */
  page?: number;
}
interface FieldSource {
  getFieldObjects(): Promise<Record<string, FieldObject[]> | null>;
}

// Field types whose value is text the analyst typed or chose.
const TEXT_FIELDS = new Set(['text', 'combobox', 'listbox']);

/**
 * Filled-in AcroForm values by 1-based page. pdf.js's text layer holds only
 * the printed form, not what was typed into it, and the typed values are
 * usually what an analyst is after. pdf-parse does not expose the pdf.js
 * document, so this reads its (private) `doc` field and quietly yields
 * nothing if a future pdf-parse renames it.
 */
export async function formFieldsByPage(parser: PDFParse): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  const doc = (parser as unknown as { doc?: Partial<FieldSource> }).doc;
  if (typeof doc?.getFieldObjects !== 'function') return out;
  const fields = await doc.getFieldObjects();
  for (const list of Object.values(fields ?? {})) {
    // A field shown in several places has one widget per place, each with the same value.
    const seen = new Set<string>();
    for (const f of list) {
      if (!TEXT_FIELDS.has(f.type ?? '') || f.password || typeof f.page !== 'number') continue;
      const page = f.page + 1;
      const values = (Array.isArray(f.value) ? f.value : [f.value]).filter(
        (v): v is string => typeof v === 'string' && v.trim() !== '' && !seen.has(`${page}:${v}`),
      );
      if (values.length === 0) continue;
      for (const v of values) seen.add(`${page}:${v}`);
      out.set(page, [...(out.get(page) ?? []), ...values]);
    }
  }
  return out;
}
