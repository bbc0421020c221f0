// The planted spike: extra dialogues after the ordinary ones, all on one local day, about one
// product the customer bought, the same bytes for the same seed; absent unless asked for.
import { describe, expect, it } from 'vitest';
import { generateCorpus } from './generate-corpus.ts';

const dialogues = (plantSpike?: object) => [...generateCorpus({ n: 50, seed: 9, plantSpike })].flatMap((i) => (i.kind === 'dialogue' ? [i.dialogue] : []));

describe('the planted spike', () => {
  it('adds `count` dialogues on the day, about the model, deterministic under the seed', () => {
    const spike = { intent: 'warranty_claim', model: 'Vista 65 Mini LED', date: '2026-06-20', count: 6 };
    const planted = dialogues(spike);
    expect(planted).toHaveLength(56);
    expect(planted.slice(0, 50)).toEqual(dialogues()); // the ordinary corpus is unchanged
    for (const d of planted.slice(50)) {
      expect(d.started_at!.slice(0, 10)).toBe('2026-06-20');
      expect(d.metadata?.intent).toBe('warranty_claim');
      // The order is the customer's Vista 65 (what the product detector reads: the name or the order id in the text).
      expect(String(d.metadata?.reference_answer)).toMatch(/Vista 65/);
    }
    expect(planted.slice(50).map((d) => d.id)).toEqual(['syn-9-0000051', 'syn-9-0000052', 'syn-9-0000053', 'syn-9-0000054', 'syn-9-0000055', 'syn-9-0000056']);
    expect(JSON.stringify(dialogues(spike))).toBe(JSON.stringify(planted));
  });
});
