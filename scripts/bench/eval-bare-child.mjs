// bench:eval's bare client, in a process of its own: the same requests as firstcall and promptfoo
// (one chat completion per suite case, its rendered messages and the candidate's params) to the same
// server with the same concurrency, over node:http with keep-alive and nothing else: no retries,
// deadlines, scoring or storing; each reply is read and parsed. What this machine and this model
// server allow a client that only makes the calls. Arg: a JSON file {bodies, baseUrl, concurrency}.
// Prints one JSON line last: {seconds, results, errors}.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

const { bodies, baseUrl, concurrency } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = new URL(`${baseUrl.replace(/\/$/, '')}/chat/completions`);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** One call: resolves with whether it got a 200 and a completion. */
const call = (body) =>
  new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer sk-bench' } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(res.statusCode === 200 && typeof JSON.parse(Buffer.concat(chunks).toString('utf8')).choices?.[0]?.message?.content === 'string');
          } catch {
            resolve(false);
          }
        });
        res.on('error', () => resolve(false));
      },
    );
    req.on('error', () => resolve(false));
    req.end(body);
  });

let next = 0;
let errors = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) if (!(await call(bodies[next++]))) errors++;
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
console.log(JSON.stringify({ seconds, results: bodies.length, errors }));
