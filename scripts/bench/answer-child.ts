// One process for bench:answer, so the load generator never shares an event loop with what it
// measures: `mock <latency ms>` (the OpenAI-compatible mock model), `firstcall <db>` (the real app;
// the model's base URL comes from FIRSTCALL_OPENAI_BASE_URL) or `bare <model url>` (a plain fastify
// POST /v1/answer that awaits the same mock model). Prints its URL; exits on SIGTERM. With
// BENCH_PROFILE_DIR set, each SIGUSR2 starts or stops a CPU profile of the main thread, written there
// (the parent profiles only the rounds it measures CPU in).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { startMockOpenAI } from '../../server/test-support/mock-openai-server.ts';

process.on('SIGTERM', () => process.exit(0));
const [mode, arg] = process.argv.slice(2) as [string, string];

const profileDir = process.env.BENCH_PROFILE_DIR;
if (profileDir) {
  mkdirSync(profileDir, { recursive: true });
  const session = new Session();
  session.connect();
  let profiling = false;
  let n = 0;
  process.on('SIGUSR2', () => {
    profiling = !profiling;
    void (async () => {
      if (profiling) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(profileDir, `${mode}-${++n}.cpuprofile`), JSON.stringify(profile));
      }
    })();
  });
}

if (mode === 'mock') {
  const mock = await startMockOpenAI({ latencyMs: Number(arg) });
  // The mock keeps every request for tests' assertions; under load that is only memory.
  setInterval(() => mock.requests.splice(0), 1000).unref();
  console.log(mock.url);
} else if (mode === 'firstcall') {
  const db = await openDatabase(arg);
  const app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
} else if (mode === 'bare') {
  const app = Fastify();
  app.post<{ Body: { messages: { text: string }[] } }>('/v1/answer', async (request) => {
    const response = await fetch(`${arg}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: request.body.messages.at(-1)?.text ?? '' }] }),
    });
    const completion = (await response.json()) as { choices: { message: { content: string } }[] };
    return { answer: completion.choices[0]?.message.content ?? '' };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
} else {
  console.error(`usage: answer-child.ts mock|firstcall|bare ARG (got ${mode})`);
  process.exit(2);
}
