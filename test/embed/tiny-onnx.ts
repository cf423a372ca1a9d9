import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';

/**
 * Builds tiny but real ONNX models in the layout transformers.js loads
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), so
 * the ONNX embedder and reranker are tested end to end with no downloaded
 * weights. The weights are chosen, not trained: each word of a concept group
 * maps to that group's axis, so "ship" and "vessel" embed identically and
 * "harbour" lands elsewhere.
 */
const { onnx } = onnxProto;

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

export interface TinyModelSpec {
  /** Words that mean the same thing share one embedding axis. */
  groups: string[][];
}

function vocabulary(groups: string[][]): string[] {
  return [...SPECIAL, ...groups.flat()];
}

function tensor(name: string, dims: number[], values: number[]): InstanceType<typeof onnx.TensorProto> {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function modelBytes(graph: InstanceType<typeof onnx.GraphProto>): Uint8Array {
  const model = onnx.ModelProto.create({ irVersion: 7, producerName: 'cairn-test', opsetImport: [{ domain: '', version: 13 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

const INT64 = onnx.TensorProto.DataType.INT64;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** A "BERT" whose last hidden state is a lookup of each token's concept axis. */
function embedderGraph(groups: string[][]): InstanceType<typeof onnx.GraphProto> {
  const vocab = vocabulary(groups);
  const dim = groups.length;
  const table: number[] = [];
  for (const word of vocab) {
    const g = groups.findIndex((ws) => ws.includes(word));
    for (let d = 0; d < dim; d++) table.push(d === g ? 1 : 0);
  }
  return onnx.GraphProto.create({
    name: 'tiny-embedder',
    node: [{ opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', i: 0, type: onnx.AttributeProto.AttributeType.INT }] }],
    initializer: [tensor('embeddings', [vocab.length, dim], table)],
    input: [valueInfo('input_ids', INT64, ['batch', 'seq']), valueInfo('attention_mask', INT64, ['batch', 'seq'])],
    output: [valueInfo('last_hidden_state', FLOAT, ['batch', 'seq', dim])],
  });
}

/** A "cross-encoder" whose relevance logit is the mean weight of the pair's tokens. */
function rerankerGraph(groups: string[][], weights: Record<string, number>): InstanceType<typeof onnx.GraphProto> {
  const vocab = vocabulary(groups);
  return onnx.GraphProto.create({
    name: 'tiny-reranker',
    node: [
      { opType: 'Gather', input: ['token_weight', 'input_ids'], output: ['per_token'], attribute: [{ name: 'axis', i: 0, type: onnx.AttributeProto.AttributeType.INT }] },
      {
        opType: 'ReduceMean',
        input: ['per_token'],
        output: ['logits'],
        attribute: [
          { name: 'axes', ints: [1], type: onnx.AttributeProto.AttributeType.INTS },
          { name: 'keepdims', i: 0, type: onnx.AttributeProto.AttributeType.INT },
        ],
      },
    ],
    initializer: [tensor('token_weight', [vocab.length, 1], vocab.map((w) => weights[w] ?? 0))],
    input: [valueInfo('input_ids', INT64, ['batch', 'seq']), valueInfo('attention_mask', INT64, ['batch', 'seq'])],
    output: [valueInfo('logits', FLOAT, ['batch', 1])],
  });
}

function tokenizerJson(groups: string[][]): unknown {
  const vocab = vocabulary(groups);
  const ids = Object.fromEntries(vocab.map((w, i) => [w, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

async function writeModelDir(dir: string, config: unknown, groups: string[][], onnxBytes: Uint8Array): Promise<void> {
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(groups)));
  await writeFile(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }),
  );
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), onnxBytes);
}

/** Writes a sentence-embedding model directory (feature extraction, mean pooling). */
export async function writeTinyEmbedder(dir: string, spec: TinyModelSpec): Promise<void> {
  await writeModelDir(dir, { model_type: 'bert', architectures: ['BertModel'], hidden_size: spec.groups.length }, spec.groups, modelBytes(embedderGraph(spec.groups)));
}

/** Writes a cross-encoder directory (sequence classification, one logit). */
export async function writeTinyReranker(dir: string, spec: TinyModelSpec & { weights: Record<string, number> }): Promise<void> {
  await writeModelDir(
    dir,
    { model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: 1, num_labels: 1, id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 } },
    spec.groups,
    modelBytes(rerankerGraph(spec.groups, spec.weights)),
  );
}
