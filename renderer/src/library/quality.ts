/** The reading-quality facts worth a glance in the sources table, from a source's free-form metadata. */
export function qualityNotes(meta: Record<string, unknown> | undefined): string[] {
  if (!meta) return [];
  const notes: string[] = [];
  const num = (k: string): number | undefined => (typeof meta[k] === 'number' ? (meta[k] as number) : undefined);
  const list = (k: string): unknown[] | undefined => (Array.isArray(meta[k]) ? (meta[k] as unknown[]) : undefined);
  const ocr = meta.ocr;
  const conf = num('ocrConfidence') ?? num('confidence') ?? (typeof ocr === 'object' && ocr !== null ? (ocr as Record<string, unknown>).confidence : undefined);
  if (typeof conf === 'number') notes.push(`OCR ${Math.round(conf <= 1 ? conf * 100 : conf)}%`);
  else if (ocr === true) notes.push('OCR');
  const pages = num('pages');
  if (pages !== undefined) notes.push(`${pages} p.`);
  const noText = list('pagesWithoutText');
  if (noText && noText.length) notes.push(`${noText.length} p. without text`);
  const garbled = list('garbledPages');
  if (garbled && garbled.length) notes.push(`${garbled.length} p. garbled`);
  const obs = num('observations');
  if (obs !== undefined) notes.push(`${obs} points`);
  const ents = num('entities');
  if (ents !== undefined) notes.push(`${ents} entit${ents === 1 ? 'y' : 'ies'}`);
  const warnings = list('warnings');
  if (warnings && warnings.length) notes.push(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
  return notes;
}
