import { stemmer } from 'stemmer';
import { arabicLightStem } from '../embed/arabic.js';
import { contentWords } from '../embed/tokens.js';

/**
 * Content terms for matching a question against sentences: stop words out,
 * English Porter stems so "arrived" matches "arrival" and "vessels" "vessel";
 * Arabic normalised and lightly stemmed so "النفط" matches "نفط".
 */
export function stemmedTerms(text: string): string[] {
  return contentWords(text).map((w) => (/^[a-z]+$/.test(w) ? stemmer(w) : arabicLightStem(w)));
}
