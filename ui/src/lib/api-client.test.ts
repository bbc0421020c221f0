import { describe, expect, it } from 'vitest';
import { Me, QueueNext } from './contract.ts';
import { ApiError, buildUrl, createApiClient } from './api-client.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(respond: (url: string, init: RequestInit) => Response, options: { key?: string | null; onUnauthorized?: (m: string) => void } = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const api = createApiClient({
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond(url, init);
    }) as typeof fetch,
    getApiKey: () => options.key ?? null,
    onUnauthorized: options.onUnauthorized,
  });
  return { api, calls };
}

describe('api client', () => {
  it('sends the stored key and parses a valid answer', async () => {
    const { api, calls } = client(() => json(200, { name: 'alice', role: 'reviewer' }), { key: 'fc_reviewer_abc' });
    await expect(api.request(Me, '/api/me')).resolves.toEqual({ name: 'alice', role: 'reviewer' });
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer fc_reviewer_abc');
  });

  it('rejects a response that does not match the contract', async () => {
    const { api } = client(() => json(200, { name: 'alice', role: 'superuser' }));
    const error = await api.request(Me, '/api/me').catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'bad_response', status: 0 });
    expect((error as Error).message).toMatch(/role/);
  });

  it('rejects a malformed nested answer (a queue item without its dialogue)', async () => {
    const { api } = client(() => json(200, { item: { customer: null }, progress: { done: 1, remaining: 2 } }));
    await expect(api.request(QueueNext, '/api/queue/next')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('rejects a body that is not JSON', async () => {
    const { api } = client(() => new Response('<html>oops</html>', { status: 200 }));
    await expect(api.request(Me, '/api/me')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('turns the error body into an ApiError with the server message', async () => {
    const { api } = client(() => json(409, { error: { code: 'conflict', message: 'this label was saved elsewhere' } }));
    await expect(api.request(Me, '/api/x', { method: 'PUT', body: {} })).rejects.toMatchObject({ status: 409, code: 'conflict', message: 'this label was saved elsewhere' });
  });

  it('signs out on 401 with the stored key, but not while checking a key at sign-in', async () => {
    const ended: string[] = [];
    const { api } = client(() => json(401, { error: { code: 'unauthorized', message: 'unknown or revoked API key' } }), { key: 'fc_x', onUnauthorized: (m) => ended.push(m) });
    await expect(api.request(Me, '/api/me')).rejects.toMatchObject({ status: 401 });
    expect(ended).toEqual(['unknown or revoked API key']);
    await expect(api.request(Me, '/api/me', { apiKey: 'fc_candidate' })).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveLength(1);
  });

  it('answers 204 endpoints with nothing and sends JSON bodies', async () => {
    const { api, calls } = client(() => new Response(null, { status: 204 }));
    await expect(api.request(null, '/api/queue/skip', { method: 'POST', body: { dialogue_id: 'd-1' } })).resolves.toBeUndefined();
    expect(calls[0]!.init.body).toBe('{"dialogue_id":"d-1"}');
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('reports a network failure as an ApiError', async () => {
    const { api } = client(() => {
      throw new TypeError('fetch failed');
    });
    await expect(api.request(Me, '/api/me')).rejects.toMatchObject({ code: 'network' });
  });

  it('downloads a file as a Blob with the stored key, and errors like any request', async () => {
    const { api, calls } = client((url) => (url.endsWith('missing') ? json(404, { error: { code: 'not_found', message: 'no file' } }) : new Response('a\nb\n', { status: 200 })), { key: 'fc_engineer_x' });
    const blob = await api.requestBlob('/api/finetune/sets/s/1/train.jsonl');
    expect(await blob.text()).toBe('a\nb\n');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer fc_engineer_x');
    const error = await api.requestBlob('/missing').catch((e: unknown) => e);
    expect(ApiError.isInstance(error) && error.status === 404 && error.message === 'no file').toBe(true);
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('', '/api/queue/next', { language: 'zh', channel: '', intent: undefined, uncertain: 'true', limit: 5 })).toBe(
      '/api/queue/next?language=zh&uncertain=true&limit=5',
    );
    expect(buildUrl('', '/api/me', {})).toBe('/api/me');
  });
});
