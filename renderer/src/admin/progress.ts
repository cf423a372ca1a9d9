/**
 * Import progress names its phase first ("extract a.txt", "ingest
 * DATA/packages/staging/<id>/files/a.txt"); the staging folder is the
 * server's business, so only the path inside the package is shown.
 */
export function splitPhase(file: string): { phase: string; file: string } {
  const m = /^(extract|ingest) (.*)$/s.exec(file);
  if (!m) return { phase: 'Importing', file };
  const inPackage = (m[2] ?? '').replace(/^.*[\\/]packages[\\/]staging[\\/][^\\/]+[\\/]files[\\/]/, '');
  return { phase: m[1] === 'extract' ? 'Extracting' : 'Ingesting', file: inPackage };
}
