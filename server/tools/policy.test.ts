import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PromptTemplate } from '../domain/eval.ts';
import { DEFAULT_POLICY, policyFromTemplate, policyFromText, repairCoverage } from './policy.ts';

const template = (file: string) => PromptTemplate.parse(parse(readFileSync(join(import.meta.dirname, '..', '..', 'prompts', file), 'utf8')));

describe('service policy', () => {
  it('reads the shipped templates to exactly the default policy', () => {
    for (const file of ['concise-v1.yaml', 'empathetic-v1.yaml', 'strict-policy-v1.yaml']) expect(policyFromTemplate(template(file))).toEqual(DEFAULT_POLICY);
  });

  it('reads each language alone to the same values', () => {
    const t = template('empathetic-v1.yaml');
    expect(policyFromText({ en: t.policy.en, zh: '' })).toEqual(DEFAULT_POLICY);
    expect(policyFromText({ en: '', zh: t.policy.zh }).returns).toEqual(DEFAULT_POLICY.returns);
    expect(policyFromText({ en: '', zh: t.policy.zh }).warranty).toEqual(DEFAULT_POLICY.warranty);
  });

  it('follows a changed text: other windows, no exclusions stated, no screen care', () => {
    const t = template('concise-v1.yaml');
    const en = t.policy.en.replace('Within 7 days: no-reason', 'Within 14 days: no-reason').replace(/1\.3 [^\n]*/, '1.3 Liquid damage is never covered.').replace(/Screen Care[^\n]*/, '');
    const p = policyFromText({ en, zh: '' });
    expect(p.returns.no_reason_days).toBe(14);
    expect(p.warranty.excluded).toEqual(['liquid_damage']);
    expect(p.warranty.accidental_screen_damage_covered).toBe(false);
  });

  it('decides repair coverage from warranty, issue and cause', () => {
    expect(repairCoverage(DEFAULT_POLICY, true, 'screen_damage', true)).toEqual({ covered: true, charge: 'free' });
    expect(repairCoverage(DEFAULT_POLICY, false, 'screen_damage', true)).toMatchObject({ covered: false, why: 'expired' });
    expect(repairCoverage(DEFAULT_POLICY, true, 'liquid_damage')).toMatchObject({ covered: false, why: 'excluded' });
  });
});
