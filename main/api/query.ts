import { CairnError } from '../core/errors.js';

/**
 * Input for `GET /api/events/<op>?...` (EventSource can only GET): either
 * `?input=<JSON>`, or one parameter per field, converted by the field's type
 * in the operation's input schema (`?query=port&k=5` gives `{query: 'port', k: 5}`).
 * Validation proper is still the schema's, in parseInput.
 */

interface SchemaNode {
  def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown>; element?: unknown };
}

function unwrap(schema: unknown): SchemaNode {
  let s = schema as SchemaNode | undefined;
  for (let i = 0; i < 16 && s?.def?.innerType !== undefined; i++) s = s.def.innerType as SchemaNode;
  return s ?? {};
}

function convert(value: string, schema: unknown): unknown {
  switch (unwrap(schema).def?.type) {
    case 'number':
    case 'int':
      return value.trim() === '' ? value : Number(value);
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'object':
    case 'array':
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

export function queryToInput(schema: unknown, query: URLSearchParams): unknown {
  const json = query.get('input');
  if (json !== null) {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      throw new CairnError('BAD_INPUT', 'the `input` query parameter is not valid JSON', { input: 'input' });
    }
  }
  const shape = unwrap(schema).def?.shape ?? {};
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (key === 'token') continue;
    const field = shape[key];
    const values = query.getAll(key);
    const node = unwrap(field);
    if (node.def?.type === 'array') {
      // `?paths=a&paths=b`, or one JSON array `?paths=["a","b"]`
      const one = values.length === 1 ? convert(values[0] ?? '', { def: { type: 'object' } }) : undefined;
      out[key] = Array.isArray(one) ? one : values.map((v) => convert(v, node.def?.element));
      continue;
    }
    out[key] = convert(values[0] ?? '', field);
  }
  return out;
}
