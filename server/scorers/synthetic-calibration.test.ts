// Guards the lexicons against regressions on the seeded synthetic corpus, whose logged replies are
// labelled good, curt, wrong or rude. The corpus shares phrasing with the lexicons, so this is a
// floor, not a measure of accuracy on real dialogues (that is what judge calibration is for).
import { describe, expect, it } from 'vitest';
import type { Customer, DialogueInput } from '../domain/dialogue.ts';
import type { ScoreInput, SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { generateCorpus } from '../synthetic/index.ts';
import { analyzeAccuracy } from './accuracy.ts';
import { analyzeFcr } from './fcr.ts';
import { detectHandoff } from './handoff.ts';
import { analyzeTone } from './tone.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

interface Row {
  quality: string;
  fcr: number;
  accuracy: number;
  tone: number;
  handedOff: boolean;
  loggedEscalated: boolean;
}

function rows(n: number): Row[] {
  const customers = new Map<string, Customer>();
  const out: Row[] = [];
  for (const item of generateCorpus({ n, seed: 20_260_312 })) {
    if (item.kind === 'customer') {
      customers.set(item.customer.customer_id, item.customer);
      continue;
    }
    const d: DialogueInput = item.dialogue;
    const meta = d.metadata as { agent_quality: string; reference_answer: string; required_facts: string[]; expected_escalation: boolean };
    const last = d.turns.map((t) => t.role).lastIndexOf('agent');
    const history = d.turns.slice(0, last);
    const contact = d.started_at!.slice(0, 10);
    const customer = customers.get(d.customer_id!);
    const c: SuiteCase = {
      case_id: `${d.id}#${last}`,
      dialogue_id: d.id,
      history,
      customer_message: [...history].reverse().find((t) => t.role === 'customer')?.text ?? '',
      customer: customer ? { ...customer, purchases: customer.purchases.map((p) => ({ ...p, warranty: warrantyOn(p, contact) })) } : null,
      contact_date: contact,
      reference_answer: meta.reference_answer,
      required_facts: meta.required_facts,
      expected_escalation: meta.expected_escalation,
      intent: null,
      language: d.language ?? 'en',
      channel: d.channel ?? 'unknown',
      human_reply: null,
      gold: { fcr: null, accuracy: null, tone: null },
    };
    const input: ScoreInput = { case: c, reply: d.turns[last]!.text, handoff: null, latency_ms: 0, model: 'replay:human' };
    out.push({
      quality: meta.agent_quality,
      fcr: analyzeFcr(input).score,
      accuracy: analyzeAccuracy(input).score,
      tone: analyzeTone(input).score,
      handedOff: detectHandoff(input).handedOff,
      loggedEscalated: d.outcome?.escalated ?? false,
    });
  }
  return out;
}

describe('offline scorers on the synthetic corpus', () => {
  const data = rows(400);
  const passRate = (quality: string, key: 'fcr' | 'accuracy' | 'tone') => {
    const rs = data.filter((r) => r.quality === quality);
    return rs.filter((r) => r[key] >= DEFAULT_THRESHOLDS[key]).length / rs.length;
  };

  it('passes good replies on fcr, accuracy and tone', () => {
    expect(passRate('good', 'fcr')).toBeGreaterThan(0.95);
    expect(passRate('good', 'accuracy')).toBeGreaterThan(0.95);
    expect(passRate('good', 'tone')).toBeGreaterThan(0.9);
  });

  it('fails wrong replies on accuracy and rude ones on tone', () => {
    expect(passRate('wrong', 'accuracy')).toBeLessThan(0.05);
    expect(passRate('rude', 'tone')).toBeLessThan(0.05);
    expect(passRate('curt', 'tone')).toBeLessThan(0.1);
  });

  it('reads hand-offs from the words as the log recorded them', () => {
    const disagree = data.filter((r) => r.handedOff !== r.loggedEscalated).length;
    expect(disagree).toBe(0);
  });
});
