/** Who made an export, when, under which name: printed in the file and recorded in the audit log. */
export interface ExportMeta {
  name: string;
  exportedAt: string;
  exportedBy: string;
}

export function exportMeta(actor: string, now = new Date()): ExportMeta {
  return { name: 'Cairn export', exportedAt: now.toISOString(), exportedBy: actor };
}

/** XML text and attribute escaping. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}
