import { describe, expect, it } from 'vitest';
import { crossValidateIntents, fitIntentModel, IntentClassifier, trainIntentClassifier, type IntentExample } from './intent-classifier.ts';

const ZH: Record<string, string[]> = {
  话费查询: ['我这个月话费多少', '帮我查一下话费余额', '话费怎么扣了这么多', '查询本月话费账单', '我的话费还剩多少钱', '想知道上个月话费'],
  宽带报修: ['家里宽带断网了', '宽带连不上网怎么办', '宽带网速特别慢要报修', '光猫红灯宽带没网', '宽带坏了请派人来修', '宽带一直掉线'],
  套餐变更: ['我想换个便宜的套餐', '套餐怎么改成流量多的', '帮我变更一下套餐', '现在的套餐太贵想换', '升级套餐要怎么办', '取消现在套餐换新的'],
};
const EN: Record<string, string[]> = {
  refund_request: ['I want my money back', 'please refund my order', 'how do I get a refund', 'refund the payment for my purchase', 'can I get a refund for this', 'I was charged and want a refund'],
  delivery_delay: ['where is my parcel', 'my package has not arrived', 'delivery is late again', 'the courier has not delivered my order', 'tracking shows no movement on my parcel', 'order still not delivered'],
  change_address: ['I need to change my shipping address', 'update the delivery address please', 'wrong address on my order', 'can I change where it is shipped', 'please ship to a new address', 'edit my address for delivery'],
};
const examplesOf = (table: Record<string, string[]>, prefix: string): IntentExample[] =>
  Object.entries(table).flatMap(([intent, texts]) => texts.map((text, i) => ({ id: `${prefix}-${intent}-${i}`, text, intent })));

describe('the intent classifier', () => {
  it('learns Chinese intents with Chinese keys and says how sure it is', () => {
    const model = trainIntentClassifier(examplesOf(ZH, 'zh'), 'zh');
    expect(model.intents.sort()).toEqual(Object.keys(ZH).sort());
    expect(model.predict('宽带又断网了，快来修').intent).toBe('宽带报修');
    expect(model.predict('查下我的话费').intent).toBe('话费查询');
    const p = model.predict('换一个流量多的套餐');
    expect(p.intent).toBe('套餐变更');
    expect(p.confidence).toBeGreaterThan(p.second!.confidence);
  });

  it('learns English intents and round-trips through its JSON file', () => {
    const model = trainIntentClassifier(examplesOf(EN, 'en'), 'en');
    const again = IntentClassifier.fromJson(JSON.parse(JSON.stringify(model.file)));
    for (const text of ['my parcel is late', 'refund me please', 'change the address of my order']) {
      expect(again.predict(text)).toEqual(model.predict(text));
    }
    expect(again.predict('my parcel is late').intent).toBe('delivery_delay');
  });

  it('reports cross-validated accuracy and macro-F1 next to the majority class, and calibrates confidences on them', () => {
    const examples = [...examplesOf(EN, 'a'), ...examplesOf(EN, 'b').map((e) => ({ ...e, text: `hi, ${e.text} thanks` }))];
    const cv = crossValidateIntents(examples, 'en', { folds: 4 });
    expect(cv.n).toBe(examples.length);
    expect(cv.fitted.accuracy).toBeGreaterThan(0.8);
    expect(cv.fitted.macro_f1).toBeGreaterThan(0.8);
    expect(cv.majority.accuracy).toBeLessThan(0.5);
    expect(cv.fitted.accuracy).toBeGreaterThan(cv.majority.accuracy);
    const { classifier } = fitIntentModel(examples, 'en', { folds: 4 });
    // Something no intent covers gets less confidence than a plain known request.
    expect(classifier.predict('what are your opening hours on sunday').confidence).toBeLessThan(classifier.predict('please refund my order').confidence);
  });

  it('refuses to learn from a single intent', () => {
    expect(() => trainIntentClassifier(examplesOf({ x: ['a b', 'c d'] }, 'x'), 'en')).toThrow(/two intents/);
  });
});
