import { describe, expect, it } from 'vitest';
import { defaultFeatureSpec, extractFeatures } from './dialogue-features.ts';
import { compressModel, encodeWeights, LearnedModel, LearnedModelFile, MODEL_FORMAT, MODEL_FORMAT_VERSION, serialiseModel } from './learned-model.ts';
import { trainLogisticRegression } from './sparse-logistic-regression.ts';

const good = ['好的，谢谢，问题解决了', '已经好了，感谢', '收到，谢谢你们'];
const bad = ['还是不行，你们到底管不管', '没用，投诉', '又断了，什么破服务'];

function toyModelFile(): LearnedModelFile {
  const spec = defaultFeatureSpec('zh', ['last_customer', 'structure']);
  const dialogues = [...good, ...bad].map((text) => ({ turns: [{ role: 'agent' as const, text: '您好' }, { role: 'customer' as const, text }] }));
  const rows = dialogues.map((d) => extractFeatures(d, spec).vector);
  const { model } = trainLogisticRegression(rows, [1, 1, 1, 0, 0, 0], { l2: 1e-2, minRowFrequency: 1 });
  const small = compressModel(model, { maxWeights: 50, levels: 127 });
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    language: 'zh',
    target: 'fcr',
    features: spec,
    bias: small.bias,
    weights: encodeWeights(small.indices, small.values, small.scale),
    top_features: [],
    card: {
      summary: 'toy',
      label: 'toy',
      output: 'p',
      data: { name: 'toy', file: 'none', dialogues: 6, sha256: '0', split: 'none' },
      licence: 'none',
      trainer: { algorithm: 'lbfgs', l2: 1e-2, label_mode: 'hard', iterations: 1, columns: 1, kept_weights: small.indices.length, quantisation_levels: 127 },
      held_out: { dialogues: 0, auc: null, spearman: null },
      limitations: [],
    },
  };
}

describe('LearnedModel', () => {
  it('round-trips through its JSON text with the same scores', () => {
    const file = toyModelFile();
    const text = serialiseModel(file);
    const loaded = LearnedModel.fromJson(JSON.parse(text));
    expect(loaded.file).toEqual(LearnedModelFile.parse(file));
    expect(serialiseModel(loaded.file)).toBe(text);
    const d = { turns: [{ role: 'customer' as const, text: '好的谢谢' }] };
    expect(loaded.score(d)).toEqual(new LearnedModel(file).score(d));
    expect(loaded.score(d).probability).toBeGreaterThan(0.5);
    expect(loaded.score({ turns: [{ role: 'customer' as const, text: '还是不行' }] }).probability).toBeLessThan(0.5);
  });

  it('rejects files it cannot read', () => {
    const file = toyModelFile();
    expect(() => LearnedModel.fromJson({ ...file, format: 'other' })).toThrow();
    expect(() => LearnedModel.fromJson({ ...file, weights: { ...file.weights, values: [1] } })).toThrow(RangeError);
  });

  it('explains a score by the features that pushed it', () => {
    const model = new LearnedModel(toyModelFile());
    const e = model.explain({ turns: [{ role: 'customer', text: '还是不行，投诉' }] });
    const against = e.contributions.filter((c) => c.value < 0);
    expect(against.length).toBeGreaterThan(0);
    expect(against[0]!.block).toBe("customer's last turn");
    expect(against[0]!.name).toBe(`customer's last turn “${against[0]!.text}”`);
    const total = e.contributions.reduce((s, c) => s + c.value, model.file.bias);
    expect(total).toBeCloseTo(e.logit, 10);
  });
});

describe('compressModel', () => {
  it('keeps the largest weights and quantises them to the given levels', () => {
    const m = { bias: 0.5, indices: Int32Array.of(1, 5, 9, 12), weights: Float64Array.of(0.01, -2, 1, 0.4) };
    const c = compressModel(m, { maxWeights: 3, levels: 100 });
    expect(Array.from(c.indices)).toEqual([5, 9, 12]);
    expect(Array.from(c.values)).toEqual([-100, 50, 20]);
    expect(c.weights[0]).toBeCloseTo(-2, 10);
    expect(c.bias).toBe(0.5);
  });
});
