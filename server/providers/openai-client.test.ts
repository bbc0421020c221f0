// Where OpenAI calls go, as the openai provider and the fine-tuning client both resolve it, and what
// the SDK client built on it sends, against a local server speaking the OpenAI protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { openAIClient, openAIConnection } from './openai-client.ts';

describe('openAIConnection', () => {
  it('takes an option first, then FIRSTCALL_OPENAI_*, then OPENAI_*, skipping blank values and trimming', () => {
    const env = { FIRSTCALL_OPENAI_BASE_URL: '  ', OPENAI_BASE_URL: ' http://openai.example/v1 ', FIRSTCALL_OPENAI_API_KEY: 'sk-firstcall', OPENAI_API_KEY: 'sk-openai', OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj-env' };
    expect(openAIConnection({}, env)).toEqual({ baseURL: 'http://openai.example/v1', apiKey: 'sk-firstcall', organization: 'org-env', project: 'proj-env' });
    expect(openAIConnection({ baseURL: 'http://local/v1', apiKey: 'sk-option', organization: 'org-option' }, env)).toMatchObject({ baseURL: 'http://local/v1', apiKey: 'sk-option', organization: 'org-option' });
  });

  it('reads nothing but the env it is given', () => {
    expect(openAIConnection({}, {})).toEqual({ baseURL: undefined, apiKey: undefined, organization: undefined, project: undefined });
  });
});

describe('openAIClient', () => {
  let server: MockOpenAIServer;
  beforeAll(async () => {
    server = await startMockOpenAI();
  });
  afterAll(() => server.close());

  it('refuses a connection with neither a key nor a base URL, naming what needed it', () => {
    expect(() => openAIClient(openAIConnection({}, {}), 'fine-tuning', { timeoutMs: 1000 })).toThrow(/^fine-tuning needs an API key: set FIRSTCALL_OPENAI_API_KEY or OPENAI_API_KEY/);
  });

  it('sends no Authorization header to a server given without a key, and the key as a bearer token when there is one', async () => {
    await openAIClient(openAIConnection({ baseURL: server.url }, {}), 'test', { timeoutMs: 5000 }).models.list();
    await openAIClient(openAIConnection({ baseURL: server.url, apiKey: 'sk-test' }, { OPENAI_ORG_ID: 'org-1' }), 'test', { timeoutMs: 5000 }).models.list();
    const [keyless, keyed] = server.requests.slice(-2);
    expect(keyless!.headers.authorization).toBeUndefined();
    expect(keyed!.headers.authorization).toBe('Bearer sk-test');
    expect(keyed!.headers['openai-organization']).toBe('org-1');
  });
});
