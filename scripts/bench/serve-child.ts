// One server for bench:serve, in its own process: `firstcall` (the real app on a store with a
// promoted config) or `bare` (a plain fastify route returning the same JSON). Prints its URL.
import Fastify from 'fastify';
import { buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/storage/database.ts';

const [mode, dbPath, bodyFile] = process.argv.slice(2) as [string, string, string];
if (mode === 'firstcall') {
  const db = await openDatabase(dbPath);
  const app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
} else {
  const { readFileSync } = await import('node:fs');
  const body = readFileSync(bodyFile, 'utf8');
  const app = Fastify();
  app.get('/v1/configs/:channel', async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
}
