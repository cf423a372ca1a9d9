/**
 * Standard JSON Schema (what zod and the agent produce) to the subset
 * node-llama-cpp turns into a grammar: anyOf becomes oneOf, optional
 * properties become nullable (its grammar requires every key), and keywords
 * it cannot enforce (minimum, default, pattern) are dropped.
 */
import type { JsonSchema } from '../types.js';

const IMMUTABLE = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function isNullable(s: JsonSchema): boolean {
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  const alts = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  return Array.isArray(alts) && alts.some(isNullable);
}

export function toGbnfSchema(schema: JsonSchema): JsonSchema {
  const s = schema;
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) return { oneOf: alts.map(toGbnfSchema) };
  if ('const' in s) return { const: s.const as string };
  if (Array.isArray(s.enum)) return { enum: s.enum };
  const type = s.type;
  if (type === 'object') {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((s.required ?? []) as string[]);
    const out: Record<string, JsonSchema> = {};
    for (const [k, v] of Object.entries(props)) {
      const conv = toGbnfSchema(v);
      out[k] = required.has(k) || isNullable(conv) ? conv : { oneOf: [conv, { type: 'null' }] };
    }
    return { type: 'object', properties: out, additionalProperties: false };
  }
  if (type === 'array') {
    return {
      type: 'array',
      ...(s.items ? { items: toGbnfSchema(s.items as JsonSchema) } : {}),
      ...(typeof s.minItems === 'number' ? { minItems: s.minItems } : {}),
      ...(typeof s.maxItems === 'number' ? { maxItems: s.maxItems } : {}),
    };
  }
  if (type === 'string') {
    return {
      type: 'string',
      ...(typeof s.minLength === 'number' ? { minLength: s.minLength } : {}),
      ...(typeof s.maxLength === 'number' ? { maxLength: s.maxLength } : {}),
    };
  }
  if (typeof type === 'string' && IMMUTABLE.has(type)) return { type };
  if (Array.isArray(type) && type.every((t) => typeof t === 'string' && IMMUTABLE.has(t))) return { type };
  // Anything goes: any JSON scalar.
  return { type: ['string', 'number', 'boolean', 'null'] };
}
