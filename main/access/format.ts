/**
 * Canonical marking strings. One Marking has exactly one banner and one
 * portion string, so markings stored as text compare equal when they mean
 * the same thing: level // compartments (sorted, `/`) // dissemination
 * (policy controls in policy order, then NOFORN or REL TO, REL TO listing
 * USA first and the rest alphabetically).
 */
import { NOFORN, REL_TO, type Marking } from './marking.js';

/** e.g. `TOP SECRET//SI/TK//ORCON/REL TO USA, GBR`. */
export function formatBanner(m: Marking): string {
  return join(m.level.name, m, 'name');
}

/** e.g. `(TS//SI/TK//OC/REL TO USA, GBR)`. */
export function formatPortion(m: Marking): string {
  return `(${join(m.level.portion, m, 'portion')})`;
}

function join(level: string, m: Marking, form: 'name' | 'portion'): string {
  const dissem = m.controls.map((c) => c[form]);
  if (m.noforn) dissem.push(NOFORN[form]);
  if (m.relTo !== null) dissem.push(`${REL_TO} ${m.relTo.join(', ')}`);
  const segments = [level];
  if (m.compartments.length > 0) segments.push(m.compartments.join('/'));
  if (dissem.length > 0) segments.push(dissem.join('/'));
  return segments.join('//');
}
