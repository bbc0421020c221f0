// What an exported suite's provider and assertions (provider.mjs, assertions.mjs) run in promptfoo's
// process, called directly: the actions a reply took reach accuracy as they do in `firstcall eval`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { CASES_FILE, EXPORT_FORMAT } from '../interop/promptfoo-export.ts';
import { EN_CALM_DELIVERY } from '../test-support/scorer-cases.ts';
import { tempDir } from '../test-support/temp.ts';
import { PromptfooExport } from './promptfoo-runtime.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** The logged agent did refund (in systems the log does not show). */
const CASE = { ...EN_CALM_DELIVERY, human_reply: "I've refunded the $129 to your card." };

function exported(c = CASE): PromptfooExport {
  const dir = tempDir();
  const suite = { name: 'pf', version: 1, hash: `sha256:${'0'.repeat(64)}` };
  writeFileSync(join(dir, CASES_FILE), JSON.stringify({ format: EXPORT_FORMAT, suite, cases: [c] }));
  return new PromptfooExport(dir);
}

const vars = { case_id: EN_CALM_DELIVERY.case_id };
const firstcallMeta = (acted?: string[], model = 'openai:some-model') => ({
  case_id: EN_CALM_DELIVERY.case_id,
  model,
  candidate_hash: 'abc',
  latency_ms: 900,
  attempts: 1,
  ...(acted ? { acted } : {}),
});
const refunded = "Sorry about that! I've refunded the $129 to your card and cancelled the order #W6600123.";

describe('an exported suite under promptfoo: actions said, actions taken', () => {
  it('caps accuracy for a firstcall provider reply that says it refunded when it took no action, as firstcall eval does', async () => {
    const runtime = exported();
    const none = await runtime.score('accuracy', refunded, { vars, metadata: { firstcall: firstcallMeta([]) } });
    expect(none.pass).toBe(false);
    expect(none.score).toBeLessThanOrEqual(0.3);
    expect(none.reason).toMatch(/took no action/);
    // The same reply after a cancel_order call that went through is taken at its word.
    const acted = await runtime.score('accuracy', refunded, { vars, metadata: { firstcall: firstcallMeta(['cancel_order']) } });
    expect(acted.reason).not.toMatch(/took no action/);
    // Another provider's tool calls are not in its output: nothing to hold the reply to.
    const other = await runtime.score('accuracy', refunded, { vars, providerResponse: { latencyMs: 900 } });
    expect(other.reason).not.toMatch(/took no action/);
  });

  it("records the acting calls in the firstcall provider's metadata, except for candidates that act off the record", async () => {
    const runtime = exported();
    const config = async (file: string) => {
      const c = await loadCandidate(join(REPO, 'evals', 'candidates', file), { root: REPO });
      return { candidate: { spec: c.spec, template: c.template, hash: c.hash } };
    };
    const agent = await runtime.callProvider(await config('agent-empathetic.yaml'), vars);
    expect(agent.error).toBeUndefined();
    expect(agent.metadata?.firstcall.acted).toEqual(expect.any(Array));
    const human = await runtime.callProvider(await config('human-replay.yaml'), vars);
    expect(human.error).toBeUndefined();
    expect(human.metadata?.firstcall).not.toHaveProperty('acted');
  });
});

describe('an exported suite under promptfoo: a hand-off in words', () => {
  it('is read by the scorers from the words, as firstcall eval reads it, not reported as a marker', async () => {
    const runtime = exported();
    const escalation = await runtime.score('escalation', "I'm transferring you to a human agent now.", { vars, metadata: { firstcall: firstcallMeta([]) } });
    expect(escalation.reason).toContain('hands off (“transferring you”)');
    expect(escalation.reason).not.toContain('marker');
  });
});

describe('an exported suite under promptfoo: a hand-off where the logged agent acted', () => {
  it("is right from a firstcall provider that cannot act, as firstcall eval scores it, and needless from one that can or from another provider", async () => {
    const runtime = exported({ ...CASE, reference_answer: "I've refunded the $129 to your card.", expected_escalation: false });
    const handoff = "A colleague has to refund that for you; I'm transferring you now. [[handoff:billing]]";
    const kb = await runtime.score('escalation', handoff, { vars, metadata: { firstcall: firstcallMeta([], 'local:kb') } });
    expect(kb.pass).toBe(true);
    expect(kb.reason).toMatch(/which this candidate cannot do/);
    const agent = await runtime.score('escalation', handoff, { vars, metadata: { firstcall: firstcallMeta([], 'local:agent') } });
    expect(agent.reason).toMatch(/^NEEDLESS/);
    // What tools promptfoo gave a provider of its own is not known here: it is held to the label.
    const other = await runtime.score('escalation', handoff, { vars, providerResponse: { latencyMs: 900 } });
    expect(other.reason).toMatch(/^NEEDLESS/);
  });
});
