import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAIServer } from './mock-openai-server.ts';
import { createOpenAIProvider } from '../providers/openai.ts';

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAI({ latencyMs: 20, model: 'mock-1' });
});
afterAll(() => server.close());

describe('mock OpenAI server', () => {
  it('lists its model and answers unknown routes with 404', async () => {
    const models = await fetch(`${server.url}/models`);
    expect(await models.json()).toMatchObject({ object: 'list', data: [{ id: 'mock-1' }] });
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    const bad = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
  });

  it('answers deterministically, concurrently, over kept-alive connections', async () => {
    const provider = createOpenAIProvider({ model: 'mock-1', baseURL: server.url, env: {} });
    const connectionsBefore = server.connections;
    const started = performance.now();
    const texts: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < 160; i = next++) {
        const result = await provider.generate({ messages: [{ role: 'user', content: `q${i}` }], params: { temperature: 0, max_tokens: 10 } });
        texts[i] = result.text;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const elapsed = performance.now() - started;
    expect(texts).toEqual(Array.from({ length: 160 }, (_, i) => `mock reply: q${i}`));
    // 10 rounds of 20 ms: ideal 200 ms; generous bound for a loaded 2-core machine.
    expect(elapsed).toBeLessThan(3_000);
    // undici may open a few more sockets than the concurrency, but reuses them.
    expect(server.connections - connectionsBefore).toBeLessThan(80);
  });
});
