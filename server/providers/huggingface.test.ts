import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest } from '../domain/eval.ts';
import { createHuggingFaceProvider } from './huggingface.ts';
import { startMockOpenAI, type MockOpenAIServer, type MockReply } from '../test-support/mock-openai-server.ts';
import { ProviderError } from './provider-error.ts';

const TOKEN = 'hf_testtoken9d8c7b6a';

const SCENARIOS: Record<string, MockReply> = {
  'rate-limit': { status: 429, headers: { 'retry-after': '2' }, body: { error: 'Rate limit reached' } },
  unavailable: { status: 503, body: { error: 'Model is loading', estimated_time: 20 } },
  'server-error': { status: 500, body: { error: { message: 'boom' } } },
  slow: { delayMs: 2_000 },
  'empty-object': { body: {} },
  'invalid-json': { body: '{"choices": [' },
  'not-json': { headers: { 'content-type': 'text/plain' }, body: 'hello' },
  unauthorized: { status: 401, body: { error: `Invalid credentials in Authorization header: Bearer ${TOKEN}` } },
};

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAI({
    handler: ({ body }) => {
      const messages = (body as { messages?: Array<{ content: string }> } | undefined)?.messages ?? [];
      return SCENARIOS[messages.at(-1)?.content ?? ''];
    },
  });
});
afterAll(() => server.close());

const ask = (content: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [{ role: 'user', content }],
  params: { temperature: 0.2, max_tokens: 64, top_p: 0.9 },
  ...extra,
});

const provider = (options: { timeoutMs?: number; endpointUrl?: string } = {}) =>
  createHuggingFaceProvider({ model: 'Qwen/Qwen2.5-7B-Instruct', accessToken: TOKEN, endpointUrl: server.url, timeoutMs: 1_000, env: {}, ...options });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ProviderError.isInstance(error), `expected a ProviderError, got ${String(error)}`).toBe(true);
  return error as ProviderError;
}

describe('huggingface provider against a local endpoint', () => {
  it('answers through <endpoint>/v1/chat/completions with params and the token as Bearer', async () => {
    const before = server.requests.length;
    const result = await provider().generate(ask('Where is my order?'));
    expect(result).toMatchObject({ text: 'mock reply: Where is my order?', model: 'Qwen/Qwen2.5-7B-Instruct' });
    expect(result.usage?.input_tokens).toBeGreaterThan(0);
    const request = server.requests[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct', temperature: 0.2, max_tokens: 64, top_p: 0.9 });
  });

  it('appends /v1/chat/completions to an endpoint given without /v1', async () => {
    const before = server.requests.length;
    await provider({ endpointUrl: server.url.replace(/\/v1$/, '') }).generate(ask('hi'));
    expect(server.requests[before]!.path).toBe('/v1/chat/completions');
  });

  it('maps 429 to retryable with Retry-After, and 503 / 500 to retryable without re-sending', async () => {
    const limited = await failure(provider().generate(ask('rate-limit')));
    expect(limited).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2_000, kind: 'rate_limited' });
    expect(limited.message).toContain('Rate limit reached');
    const before = server.requests.length;
    expect(await failure(provider().generate(ask('unavailable')))).toMatchObject({ retryable: true, status: 503 });
    expect(server.requests.length - before).toBe(1);
    expect(await failure(provider().generate(ask('server-error')))).toMatchObject({ retryable: true, status: 500 });
  });

  it('times out a slow answer as retryable', async () => {
    expect(await failure(provider({ timeoutMs: 150 }).generate(ask('slow')))).toMatchObject({ retryable: true, kind: 'timeout' });
  });

  it('treats malformed bodies as non-retryable', async () => {
    for (const scenario of ['empty-object', 'invalid-json', 'not-json']) {
      expect(await failure(provider().generate(ask(scenario))), scenario).toMatchObject({ retryable: false, kind: 'malformed' });
    }
  });

  it('maps 401 to non-retryable without the token in the error', async () => {
    const error = await failure(provider().generate(ask('unauthorized')));
    expect(error).toMatchObject({ retryable: false, status: 401, kind: 'auth' });
    expect(error.message).toContain('Invalid credentials');
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const gone = await startMockOpenAI();
    await gone.close();
    expect(await failure(provider({ endpointUrl: gone.url }).generate(ask('hi')))).toMatchObject({ retryable: true, kind: 'network' });
  });

  it('without an endpoint, calls the HF router with the model id (:provider suffix kept)', async () => {
    const seen: string[] = [];
    const redirect: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      seen.push(url);
      return fetch(url.replace('https://router.huggingface.co', server.url.replace(/\/v1$/, '')), init);
    };
    const before = server.requests.length;
    const p = createHuggingFaceProvider({ model: 'Qwen/Qwen2.5-7B-Instruct:together', accessToken: TOKEN, fetch: redirect, env: {} });
    expect(p.id).toBe('hf:Qwen/Qwen2.5-7B-Instruct:together');
    await p.generate(ask('hi'));
    expect(seen).toEqual(['https://router.huggingface.co/v1/chat/completions']);
    expect(server.requests[before]!.body).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct:together' });
  });

  it('reads HF_TOKEN, and asks for it (usage error) when the router needs it', async () => {
    const before = server.requests.length;
    await createHuggingFaceProvider({ model: 'm', endpointUrl: server.url, env: { HF_TOKEN: 'hf_fromenv' } }).generate(ask('hi'));
    expect(server.requests[before]!.headers.authorization).toBe('Bearer hf_fromenv');
    const error = await createHuggingFaceProvider({ model: 'm', env: {} }).generate(ask('hi')).catch((e: unknown) => e);
    expect(AppError.isInstance(error) && error.code).toBe('usage');
  });
});
