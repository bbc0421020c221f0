import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest } from '../domain/eval.ts';
import { startMockOpenAI, type MockOpenAIServer, type MockReply } from '../test-support/mock-openai-server.ts';
import { nodeHttpFetch } from './node-http-fetch.ts';
import { createOpenAIProvider } from './openai.ts';
import { ProviderError } from './provider-error.ts';

const KEY = 'sk-test-4f9a1c2b7e';

/** The last user message picks the server's behaviour. */
const SCENARIOS: Record<string, MockReply> = {
  'rate-limit': { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down', type: 'rate_limit' } } },
  'server-error': { status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
  slow: { delayMs: 2_000 },
  'slow-body': { bodyDelayMs: 2_000, body: { choices: [{ message: { content: 'late' } }] } },
  'empty-object': { body: {} },
  'invalid-json': { body: '{"choices": [' },
  'null-content': { body: { model: 'm', choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'length' }] } },
  unauthorized: { status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } } },
  'bad-request': { status: 400, body: { error: { message: 'max_tokens is too large' } } },
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
  messages: [
    { role: 'system', content: 'You are a helpful agent.' },
    { role: 'user', content },
  ],
  params: { temperature: 0, max_tokens: 50, seed: 7 },
  ...extra,
});

const provider = (options: { timeoutMs?: number; apiKey?: string | undefined } = {}) =>
  createOpenAIProvider({ model: 'gpt-test', baseURL: server.url, apiKey: KEY, timeoutMs: 1_000, env: {}, ...options });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ProviderError.isInstance(error), `expected a ProviderError, got ${String(error)}`).toBe(true);
  return error as ProviderError;
}

describe('openai provider against a local server', () => {
  it('answers with text, usage and model, sending params and the key as a Bearer header', async () => {
    const before = server.requests.length;
    const result = await provider().generate(ask('我的手机屏幕碎了'));
    expect(result.text).toBe('mock reply: 我的手机屏幕碎了');
    expect(result.model).toBe('gpt-test');
    expect(result.usage?.input_tokens).toBeGreaterThan(0);
    expect(result.usage?.output_tokens).toBeGreaterThan(0);
    const request = server.requests[before]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).toMatchObject({ model: 'gpt-test', temperature: 0, max_tokens: 50, seed: 7 });
    expect(request.body).not.toHaveProperty('top_p');
    expect(provider().id).toBe('openai:gpt-test');
  });

  it('maps 429 to a retryable error carrying Retry-After', async () => {
    const error = await failure(provider().generate(ask('rate-limit')));
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2_000, kind: 'rate_limited', provider: 'openai:gpt-test' });
    expect(error.message).toContain('slow down');
  });

  it('maps 500 to a retryable error', async () => {
    expect(await failure(provider().generate(ask('server-error')))).toMatchObject({ retryable: true, status: 500, kind: 'server' });
  });

  it('times out a slow answer, and a body that stalls after the headers, as retryable', async () => {
    const slow = await failure(provider({ timeoutMs: 150 }).generate(ask('slow')));
    expect(slow).toMatchObject({ retryable: true, kind: 'timeout' });
    const stalled = await failure(provider({ timeoutMs: 150 }).generate(ask('slow-body')));
    expect(stalled).toMatchObject({ retryable: true, kind: 'timeout' });
  });

  it('treats malformed bodies as non-retryable', async () => {
    for (const scenario of ['empty-object', 'invalid-json', 'null-content']) {
      const error = await failure(provider().generate(ask(scenario)));
      expect(error, scenario).toMatchObject({ retryable: false, kind: 'malformed' });
      expect(error.message).toContain('malformed response');
    }
  });

  it('maps 401 to a non-retryable error that never contains the key', async () => {
    const error = await failure(provider().generate(ask('unauthorized')));
    expect(error).toMatchObject({ retryable: false, status: 401, kind: 'auth' });
    expect(error.message).toContain('Incorrect API key');
    expect(error.message).not.toContain(KEY);
    expect(inspect(error, { depth: 10 })).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('maps other 4xx to non-retryable', async () => {
    expect(await failure(provider().generate(ask('bad-request')))).toMatchObject({ retryable: false, status: 400, kind: 'bad_request' });
  });

  it("reports the caller's abort as non-retryable", async () => {
    const controller = new AbortController();
    const pending = provider().generate(ask('slow', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 30);
    expect(await failure(pending)).toMatchObject({ retryable: false, kind: 'aborted' });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const gone = await startMockOpenAI();
    await gone.close();
    const error = await failure(createOpenAIProvider({ model: 'm', baseURL: gone.url, apiKey: KEY, env: {} }).generate(ask('hi')));
    expect(error).toMatchObject({ retryable: true, kind: 'network' });
  });

  it('reads base URL and key from the environment, FIRSTCALL_ first', async () => {
    const before = server.requests.length;
    const p = createOpenAIProvider({
      model: 'env-model',
      env: { FIRSTCALL_OPENAI_BASE_URL: server.url, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', FIRSTCALL_OPENAI_API_KEY: 'sk-env-1', OPENAI_API_KEY: 'sk-env-2' },
    });
    await p.generate(ask('hello'));
    expect(server.requests[before]!.headers.authorization).toBe('Bearer sk-env-1');
  });

  it('sends no Authorization header to a local server when no key is set', async () => {
    const before = server.requests.length;
    await provider({ apiKey: undefined }).generate(ask('hello'));
    expect(server.requests[before]!.headers.authorization).toBeUndefined();
  });

  it('asks for a key (usage error) only when a call needs OpenAI itself', async () => {
    const p = createOpenAIProvider({ model: 'gpt-4o-mini', env: {} });
    const error = await p.generate(ask('hello')).catch((e: unknown) => e);
    expect(AppError.isInstance(error) && error.code).toBe('usage');
    expect(String(error)).toContain('OPENAI_API_KEY');
  });

  it('uses an injected fetch', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await createOpenAIProvider({ model: 'm', baseURL: server.url, apiKey: KEY, fetch: counting, env: {} }).generate(ask('hi'));
    expect(calls).toBe(1);
  });

  it('sends and reads a call directly exactly as through the SDK: same path, headers and body, same answers and errors', async () => {
    // An injected fetch sends every call through the SDK's request pipeline; without one, the chat call goes directly.
    const viaSdk = (options: { apiKey?: string | undefined; timeoutMs?: number } = {}) =>
      createOpenAIProvider({ model: 'gpt-test', baseURL: server.url, apiKey: KEY, timeoutMs: 1_000, env: { OPENAI_ORG_ID: 'org-7', OPENAI_PROJECT_ID: 'proj-7' }, fetch: nodeHttpFetch, ...options });
    const direct = (options: { apiKey?: string | undefined; timeoutMs?: number } = {}) =>
      createOpenAIProvider({ model: 'gpt-test', baseURL: server.url, apiKey: KEY, timeoutMs: 1_000, env: { OPENAI_ORG_ID: 'org-7', OPENAI_PROJECT_ID: 'proj-7' }, ...options });
    const sent = async (p: ReturnType<typeof direct>, request: GenerateRequest) => {
      const before = server.requests.length;
      const outcome = await p.generate(request).then(
        (value) => ({ value }),
        (error: unknown) => ({ error: ProviderError.isInstance(error) ? { ...error, message: error.message } : String(error) }),
      );
      const { host: _host, ...headers } = server.requests[before]!.headers;
      return { outcome, method: server.requests[before]!.method, path: server.requests[before]!.path, headers, body: server.requests[before]!.body };
    };
    const requests = [
      ask('我的手机屏幕碎了'),
      ask('hello', { responseFormat: { type: 'json_schema', json_schema: { name: 'verdict', schema: { type: 'object' }, strict: true } } }),
      { ...ask('hi'), params: { temperature: 0.3, max_tokens: 9, top_p: 0.5 } },
      ...Object.keys(SCENARIOS).filter((s) => s !== 'slow' && s !== 'slow-body').map((s) => ask(s)),
    ];
    for (const request of requests) {
      expect(await sent(direct(), request), request.messages.at(-1)!.content).toEqual(await sent(viaSdk(), request));
    }
    expect(await sent(direct({ apiKey: undefined }), ask('hi'))).toEqual(await sent(viaSdk({ apiKey: undefined }), ask('hi')));
    expect(await sent(direct({ timeoutMs: 150 }), ask('slow-body'))).toEqual(await sent(viaSdk({ timeoutMs: 150 }), ask('slow-body')));
  });
});
