import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from '../../main/audit/canonical.js';
import { GENESIS_HASH, hashRecord } from '../../main/audit/record.js';
import { sha256Hex } from '../../main/core/hash.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is independent of key insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('drops undefined members and writes undefined array items as null, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('gives the same bytes after a JSON round trip', () => {
    const v = { when: new Date(0), s: 'é\u2028"\\', n: -0, big: 1e21, list: [1.5, 'x', undefined] };
    const once = canonicalJson(v);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
    expect(once).toContain('"when":"1970-01-01T00:00:00.000Z"');
  });

  it.each([
    ['NaN', { a: NaN }],
    ['Infinity', { a: [Infinity] }],
    ['bigint', { a: 1n }],
    ['function', { a: () => 1 }],
    ['Map', { a: new Map() }],
    ['typed array', { a: new Float32Array(2) }],
  ])('refuses %s instead of silently changing it', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });

  it('names where the bad value is', () => {
    expect(() => canonicalJson({ retrieved: [{ score: 1 }, { score: NaN }] })).toThrow(/\$\.retrieved\[1\]\.score/);
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/circular/);
  });
});

describe('hashRecord', () => {
  it('is sha256 of the canonical record without its hash (pinned format)', () => {
    const r = { seq: 1, ts: '2025-01-01T00:00:00.000Z', actor: 'a', action: 'ask', payload: { b: [1, null], a: 1 }, prevHash: GENESIS_HASH };
    const expected = sha256Hex(`{"action":"ask","actor":"a","payload":{"a":1,"b":[1,null]},"prevHash":"${'0'.repeat(64)}","seq":1,"ts":"2025-01-01T00:00:00.000Z"}`);
    expect(hashRecord(r)).toBe(expected);
  });
});
