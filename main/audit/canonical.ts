/**
 * Canonical JSON: the exact bytes an audit hash is computed over.
 *
 * The hash must not depend on how a record happened to be built or parsed, so
 * object keys are sorted (recursively, by UTF-16 code unit, as Array#sort and
 * RFC 8785 do) and nothing is indented. Values follow JSON.stringify's rules
 * where those rules are deterministic (strings, finite numbers, toJSON), and
 * refuse where silently changing data would make a record lie:
 *   - `undefined` object members are dropped (a caller's optional field that is
 *     absent); `undefined` inside an array becomes `null`, as JSON.stringify
 *     does, so parsing the output and canonicalising again gives the same bytes;
 *   - NaN / ±Infinity, bigint, functions, symbols, Map/Set and typed arrays throw: JSON.stringify would
 *     write `null` or drop them, and a hash over a silently altered value would
 *     certify something the caller never said.
 */
export class CanonicalJsonError extends TypeError {
  constructor(
    message: string,
    /** JSON-path-like location of the offending value, e.g. `$.retrieved[3].score`. */
    readonly at: string,
  ) {
    super(`${message} at ${at}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  const out = encode(value, '$', new Set());
  if (out === undefined) throw new CanonicalJsonError('top-level value is undefined', '$');
  return out;
}

/** Returns undefined for values an object member should omit. */
function encode(value: unknown, at: string, stack: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${String(value)}`, at);
      return JSON.stringify(value);
    case 'bigint':
      throw new CanonicalJsonError('bigint is not JSON', at);
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(`${typeof value} is not JSON`, at);
  }
  const obj = value as object;
  // Honour toJSON (Date, and domain objects that define it) like JSON.stringify.
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return encode((toJSON as () => unknown).call(obj), at, stack);
  // These would serialise as `{}` or as index-keyed objects: lossy, so refuse.
  if (obj instanceof Map || obj instanceof Set) throw new CanonicalJsonError(`${obj.constructor.name} is not JSON; convert it to an object or array`, at);
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) throw new CanonicalJsonError('binary data is not JSON; use an array or a hex string', at);
  if (stack.has(obj)) throw new CanonicalJsonError('circular reference', at);
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((v, i) => encode(v, `${at}[${i}]`, stack) ?? 'null').join(',')}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = encode((obj as Record<string, unknown>)[key], `${at}.${key}`, stack);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}
