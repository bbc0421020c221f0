import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromptTemplate } from '../candidates/load-candidate.ts';
import { anonymousCustomerViewAsOf } from '../domain/customer-view.ts';
import type { Customer, Language } from '../domain/dialogue.ts';
import type { PromptTemplate, SuiteCase } from '../domain/eval.ts';
import { generateCorpus } from '../synthetic/generate-corpus.ts';
import { buildKnowledgeBase, createLocalKbProvider, deidentifyEntries, type KbSourceEntry } from './local-kb.ts';
import { createLocalKbPool, type LocalKbPool } from './local-kb-pool.ts';
import { ProviderError } from './provider-error.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CRASHING = new URL('../test-support/crashing-kb-worker.mjs', import.meta.url);
const TODAY = '2026-06-01';

let template: PromptTemplate;
let entries: KbSourceEntry[];
let knownProducts: string[];
let cases: SuiteCase[];
const pools: LocalKbPool[] = [];
const pool = (options: Partial<Parameters<typeof createLocalKbPool>[0]> = {}) => {
  const p = createLocalKbPool({ entries, knownProducts, size: 1, ...options });
  pools.push(p);
  return p;
};

function kase(text: string, language: Language, customer: Customer | undefined, history: string[] = []): SuiteCase {
  return {
    case_id: 'live',
    dialogue_id: 'live',
    history: [...history, text].map((t) => ({ role: 'customer', text: t })),
    customer_message: text,
    customer: customer ? anonymousCustomerViewAsOf(customer, TODAY) : null,
    contact_date: TODAY,
    reference_answer: '',
    required_facts: [],
    expected_escalation: false,
    intent: null,
    language,
    channel: 'web',
    human_reply: null,
    gold: { fcr: null, accuracy: null, tone: null },
  };
}

beforeAll(async () => {
  template = await loadPromptTemplate('prompts/concise-v1.yaml', { root: ROOT });
  // Synthetic dialogues in both languages: the first 300 are the knowledge base (each with its own
  // customer's record), the customers of the rest ask their first questions.
  const items = [...generateCorpus({ n: 400, seed: 11 })];
  const customers = items.flatMap((item) => (item.kind === 'customer' ? [item.customer] : []));
  const dialogues = items.flatMap((item) => (item.kind === 'dialogue' ? [{ ...item.dialogue, language: item.dialogue.language ?? 'en' }] : []));
  const byId = new Map(customers.map((c) => [c.customer_id, c]));
  const question = (d: (typeof dialogues)[number]) => d.turns.filter((t) => t.role === 'customer').map((t) => t.text);
  entries = dialogues.slice(0, 300).flatMap((d) => {
    const answer = d.turns.filter((t) => t.role === 'agent').at(-1)?.text;
    const owner = d.customer_id ? byId.get(d.customer_id) : undefined;
    return answer ? [{ id: d.id, language: d.language, intent: d.metadata?.intent as string | undefined, question: question(d).join('\n'), answer, record: owner ? { name: owner.name, purchases: owner.purchases } : null }] : [];
  });
  knownProducts = [...new Set(customers.flatMap((c) => c.purchases.map((p) => p.product)))].sort();
  cases = dialogues.slice(300).flatMap((d) => {
    const [first, second] = question(d);
    const customer = d.customer_id ? byId.get(d.customer_id) : undefined;
    return first === undefined ? [] : [kase(first, d.language, customer), ...(second === undefined ? [] : [kase(second, d.language, customer, [first])])];
  });
});
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('local:kb in worker threads', () => {
  it('gives every case the answer the in-thread bot gives, from the same entries de-identified in the worker (zh and en)', async () => {
    const inThread = createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(deidentifyEntries(entries, knownProducts)) });
    const workers = pool({ size: 2 });
    await workers.ready;
    expect(new Set(cases.map((c) => c.language))).toEqual(new Set(['zh', 'en']));
    expect(cases.length).toBeGreaterThan(100);
    const pooled = await Promise.all(cases.map((c) => workers.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: c, template })));
    for (const [i, c] of cases.entries()) {
      const expected = await inThread.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: c, template });
      expect(pooled[i]).toEqual({ text: expected.text, model: 'local:kb' });
    }
  });

  it('fails only the case a dying worker held, with a provider error, and answers the next case on a fresh worker', async () => {
    const workers = pool({ workerFile: CRASHING });
    await workers.ready;
    const ok = cases[0]!;
    const before = await workers.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: ok, template });
    await expect(workers.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: kase('CRASH please', 'en', undefined), template })).rejects.toSatisfy(
      (e: unknown) => ProviderError.isInstance(e) && /worker exited/.test(e.message) && !e.retryable,
    );
    expect(await workers.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: ok, template })).toEqual(before);
  });

  it('rejects ready when a worker cannot build the knowledge base', async () => {
    const workers = pool({ workerFile: CRASHING, entries: [...entries, { id: 'CRASH', language: 'en', question: 'q', answer: 'a', record: null }] });
    await expect(workers.ready).rejects.toThrow(/cannot build this knowledge base/);
  });

  it('sends a worker each prompt template once and answers every case with its own template, also after the case that carried it was aborted', async () => {
    const other = await loadPromptTemplate('prompts/empathetic-v1.yaml', { root: ROOT });
    const inThread = createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(deidentifyEntries(entries, knownProducts)) });
    const workers = pool();
    await workers.ready;
    const request = (c: SuiteCase, t: PromptTemplate, signal?: AbortSignal) => ({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: c, template: t, ...(signal ? { signal } : {}) });
    // The first case with the other template is given up before it is posted: the next one must carry that template.
    const controller = new AbortController();
    const aborted = workers.generate(request(cases[0]!, other, controller.signal));
    controller.abort();
    await expect(aborted).rejects.toSatisfy((e: unknown) => ProviderError.isInstance(e) && e.kind === 'aborted');
    const asked = cases.slice(0, 40).map((c, i) => ({ c, t: i % 2 === 0 ? template : other }));
    const pooled = await Promise.all(asked.map(({ c, t }) => workers.generate(request(c, t))));
    for (const [i, { c, t }] of asked.entries()) expect(pooled[i]!.text).toBe((await inThread.generate(request(c, t))).text);
    expect(new Set(pooled.map((p) => p.text)).size).toBeGreaterThan(20);
  });

  it('gives up a case whose caller aborted, without waiting for the worker', async () => {
    const workers = pool();
    const controller = new AbortController();
    const pending = workers.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: cases[0]!, template, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toSatisfy((e: unknown) => ProviderError.isInstance(e) && e.kind === 'aborted');
  });
});
