import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectOnnxModel, OnnxEmbedder, OnnxReranker } from '../../main/embed/onnx.js';
import { writeTinyEmbedder, writeTinyReranker } from './tiny-onnx.js';

const groups = [
  ['ship', 'vessel', 'boat'],
  ['harbour', 'port', 'dock'],
  ['aircraft', 'plane'],
  ['arrived', 'docked'],
];

let models: string;
beforeAll(async () => {
  models = await mkdtemp(path.join(os.tmpdir(), 'cairn-onnx-'));
  await writeTinyEmbedder(path.join(models, 'tiny-embed'), { groups });
  await writeTinyReranker(path.join(models, 'tiny-rerank'), { groups, weights: { aircraft: 1, plane: 1 } });
});
afterAll(async () => {
  await rm(models, { recursive: true, force: true });
});

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('ONNX models from DATA/models', () => {
  it('recognises an embedder and a cross-encoder by their config', async () => {
    expect(await inspectOnnxModel(path.join(models, 'tiny-embed'))).toMatchObject({ role: 'embedder', dtype: 'fp32' });
    expect(await inspectOnnxModel(path.join(models, 'tiny-rerank'))).toMatchObject({ role: 'reranker' });
    expect(await inspectOnnxModel(models)).toBeNull();
  });

  it('embeds with the model weights: synonyms meet, other concepts do not', async () => {
    const info = (await inspectOnnxModel(path.join(models, 'tiny-embed')))!;
    const e = await OnnxEmbedder.load(info);
    expect(e.dimension).toBe(groups.length);
    expect(e.id).toMatch(/^onnx:tiny-embed@[0-9a-f]{12}$/);
    const [ship, vessel, harbour] = await e.embed(['The ship', 'a VESSEL', 'the harbour']);
    expect(cos(ship!, vessel!)).toBeCloseTo(1, 5);
    expect(cos(ship!, harbour!)).toBeCloseTo(0, 5);
  });

  it('reranks passages by the cross-encoder score', async () => {
    const r = await OnnxReranker.load((await inspectOnnxModel(path.join(models, 'tiny-rerank')))!);
    const s = await r.rank('which aircraft', ['the ship docked', 'a plane and an aircraft', 'one plane in the harbour']);
    expect(s[1]).toBeGreaterThan(s[2]!);
    expect(s[2]).toBeGreaterThan(s[0]!);
  });
});
