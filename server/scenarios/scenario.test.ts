import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.ts';
import { loadScenarioFiles } from './load-scenario-files.ts';
import { Scenario, type ScenarioInput } from './scenario.ts';
import { freezeScenarioSet, scenarioSetHash } from './scenario-set.ts';

const SCENARIOS_DIR = join(import.meta.dirname, '..', '..', 'evals', 'scenarios');

const minimal: ScenarioInput = {
  id: 'minimal',
  language: 'en',
  contact_date: '2026-03-02',
  goal: { intent: 'screen_repair', outcome: 'repair_ticket', description: 'fix the cracked screen' },
  customer: { customer_id: 'c1', purchases: [{ product: 'Nova X5 phone', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'DD1' }] },
  script: ['my screen cracked'],
  expected: { escalation: false, state: { tickets: [{ order_id: 'DD1', charge: 'free' }] } },
};

describe('scenario schema', () => {
  it('fills the persona, knowledge and limits with defaults', () => {
    const s = Scenario.parse(minimal);
    expect(s.persona).toEqual({ emotion: 'calm', patience: 3, tier: 'standard' });
    expect(s.knows).toEqual({ accepts_offer: true });
    expect(s).toMatchObject({ version: 1, source: 'file', channel: 'web', max_turns: 8, order_statuses: {}, tags: [] });
    expect(s.expected).toMatchObject({ required_facts: [], must_say: [], resolved: null });
  });

  it('rejects a record with a purchase after the contact date, an unknown field and patience outside 1-5', () => {
    const future = Scenario.safeParse({ ...minimal, customer: { customer_id: 'c1', purchases: [{ product: 'x', purchased_at: '2026-03-05', warranty_months: 12 }] } });
    expect(future.success).toBe(false);
    expect(future.error?.issues[0]?.message).toContain('as of the contact date');
    expect(Scenario.safeParse({ ...minimal, mood: 'angry' }).success).toBe(false);
    expect(Scenario.safeParse({ ...minimal, persona: { patience: 9 } }).success).toBe(false);
  });

  it('takes an unknown end state as null (judged on escalation and facts)', () => {
    expect(Scenario.parse({ ...minimal, expected: { escalation: true } }).expected.state).toBeNull();
  });
});

describe('loadScenarioFiles', () => {
  it('loads the hand-written scenarios in Chinese and English, each with an expected end state', async () => {
    const scenarios = await loadScenarioFiles(SCENARIOS_DIR);
    expect(scenarios.length).toBeGreaterThanOrEqual(6);
    expect(new Set(scenarios.map((s) => s.language))).toEqual(new Set(['zh', 'en']));
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['screen-crack-3-weeks-zh', 'screen-crack-3-weeks-en', 'phone-14-months-en', 'refund-outside-window-zh', 'address-change-before-shipping-zh', 'angry-wants-human-zh', 'plan-recommendation-en']));
    for (const s of scenarios) expect(s.expected.state, s.id).not.toBeNull();
    const crack = scenarios.find((s) => s.id === 'screen-crack-3-weeks-zh')!;
    expect(crack.expected.state?.tickets).toEqual([{ order_id: 'DD20260209111111', charge: 'free', issue_kind: 'screen_damage' }]);
  });

  it('names the file and the field of an invalid scenario, and refuses a duplicate id', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'id: bad\nlanguage: fr\ncontact_date: "2026-03-02"\n');
    await expect(loadScenarioFiles(dir)).rejects.toThrow(/bad\.yaml: .*language/);
    const dup = join(dir, 'dup');
    mkdirSync(dup);
    const yaml = JSON.stringify(minimal);
    writeFileSync(join(dup, 'a.yaml'), yaml);
    writeFileSync(join(dup, 'b.yml'), yaml);
    await expect(loadScenarioFiles(dup)).rejects.toThrow(/minimal is also used in .*a\.yaml/);
  });

  it('reads a file holding a list of scenarios', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'list.yaml'), JSON.stringify([minimal, { ...minimal, id: 'second' }]));
    expect((await loadScenarioFiles(dir)).map((s) => s.id)).toEqual(['minimal', 'second']);
  });
});

describe('scenario set hash and versions', () => {
  it('is the same for the same scenarios in any order, with or without defaults written out', async () => {
    const scenarios = await loadScenarioFiles(SCENARIOS_DIR);
    const hash = scenarioSetHash(scenarios);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(scenarioSetHash([...scenarios].reverse())).toBe(hash);
    expect(scenarioSetHash([minimal])).toBe(scenarioSetHash([Scenario.parse(minimal)]));
    // Key order inside an object does not matter either.
    const reordered = Object.fromEntries(Object.entries(minimal).reverse()) as ScenarioInput;
    expect(scenarioSetHash([reordered])).toBe(scenarioSetHash([minimal]));
  });

  it('changes when any scenario changes, and refuses duplicate ids', () => {
    const base = scenarioSetHash([minimal]);
    expect(scenarioSetHash([{ ...minimal, script: ['my screen is cracked'] }])).not.toBe(base);
    expect(scenarioSetHash([{ ...minimal, persona: { patience: 2 } }])).not.toBe(base);
    expect(() => scenarioSetHash([minimal, minimal])).toThrow(/duplicate scenario id minimal/);
  });

  it('keeps the version when nothing changed and bumps it when something did', () => {
    const first = freezeScenarioSet('demo', [minimal]);
    expect(first).toMatchObject({ created: true, set: { name: 'demo', version: 1 } });
    const same = freezeScenarioSet('demo', [minimal], first.set);
    expect(same).toMatchObject({ created: false, set: { version: 1, hash: first.set.hash } });
    const next = freezeScenarioSet('demo', [minimal, { ...minimal, id: 'other' }], first.set);
    expect(next).toMatchObject({ created: true, set: { version: 2 } });
    expect(next.set.scenarios.map((s) => s.id)).toEqual(['minimal', 'other']);
  });
});
