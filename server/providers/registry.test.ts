import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import type { Provider } from '../domain/eval.ts';
import { actsOffRecord, canActInEval, listProviders, PROVIDER_IDS, providerOptionsSchema, resolveProvider } from './registry.ts';

function usage(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (AppError.isInstance(error) && error.code === 'usage') return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

const localKb: Provider = { id: 'local:kb', generate: async () => ({ text: 'kb', model: 'local:kb' }) };

describe('provider registry', () => {
  it('has unique ids, each with its own example that resolves to a provider with that id', () => {
    expect(new Set(PROVIDER_IDS).size).toBe(PROVIDER_IDS.length);
    const entries = listProviders();
    expect(entries.map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    expect(new Set(entries.map((p) => p.example)).size).toBe(entries.length);
    expect(new Set(entries.map((p) => p.description)).size).toBe(entries.length);
    for (const { id, example } of entries) {
      expect(example.startsWith(`${id}:`)).toBe(true);
      expect(resolveProvider(example, { localKb, env: {} }).id).toBe(example);
    }
  });

  it('gives each provider its own options schema, which parses its defaults from an empty object', () => {
    for (const id of PROVIDER_IDS) expect(providerOptionsSchema(id).safeParse({}).success, id).toBe(true);
  });

  it("parses a provider's own options and rejects options it does not have", () => {
    expect(resolveProvider('openai:m', { openai: { baseURL: 'http://127.0.0.1:9/v1', organization: 'org' }, env: {} }).id).toBe('openai:m');
    expect(resolveProvider('hf:org/m', { hf: { endpointUrl: 'http://127.0.0.1:9', timeoutMs: 1000 }, env: {} }).id).toBe('hf:org/m');
    expect(usage(() => resolveProvider('openai:m', { openai: { timeoutMs: -1 }, env: {} })).message).toMatch(/bad options for provider openai: timeoutMs/);
    expect(usage(() => resolveProvider('hf:m', { hf: { token: 'x' } as never, env: {} })).message).toMatch(/bad options for provider hf/);
  });

  it('says whose replies to eval cases can act: the logged human (off the record) and local:agent, not a model the eval gives no tools nor local:kb', () => {
    expect(canActInEval('replay:human')).toEqual({ can_act: true });
    expect(canActInEval('local:agent')).toEqual({ can_act: true, acts_on: ['repair', 'return', 'refund', 'cancel', 'address', 'handoff'] });
    expect(canActInEval('local:kb')).toEqual({ can_act: false });
    expect(canActInEval('openai:ft:gpt-4o-mini:acme::abc123')).toEqual({ can_act: false });
    expect(canActInEval('hf:org/model:tag')).toEqual({ can_act: false });
    expect(canActInEval('anthropic:claude')).toEqual({});
    expect(canActInEval('no-colon')).toEqual({});
    expect([actsOffRecord('replay:human'), actsOffRecord('local:agent'), actsOffRecord('local:kb')]).toEqual([true, false, false]);
  });

  it('splits on the first colon, keeping the model whole', () => {
    expect(resolveProvider('hf:org/model:tag', { env: {} }).id).toBe('hf:org/model:tag');
    expect(resolveProvider('openai:ft:gpt-4o-mini:acme::abc123', { env: {} }).id).toBe('openai:ft:gpt-4o-mini:acme::abc123');
  });

  it('lists the available providers for an unknown one', () => {
    const error = usage(() => resolveProvider('anthropic:claude', {}));
    for (const id of PROVIDER_IDS) expect(error.message).toContain(id);
    expect(error.message).toContain('"anthropic"');
    usage(() => resolveProvider('gpt-4o-mini', {}));
  });

  it('rejects a missing model, replay/local models other than human/kb, and local:kb without a knowledge base', () => {
    usage(() => resolveProvider('openai:', {}));
    usage(() => resolveProvider('replay:bot', {}));
    usage(() => resolveProvider('local:faq', { localKb }));
    expect(usage(() => resolveProvider('local:kb', {})).message).toContain('knowledge base');
    expect(resolveProvider('local:kb', { localKb })).toBe(localKb);
  });
});
