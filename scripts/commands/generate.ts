// `firstcall generate`: synthetic zh/en customer-service dialogues with CRM profiles.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

export const GenerateArgs = z.object({
  out: z.string({ message: '--out FILE is required' }).min(1),
  n: z.coerce.number().int('--n must be a whole number').min(1, '--n must be at least 1').max(50_000_000),
  seed: z.coerce.number().int('--seed must be an integer').min(0, '--seed must be 0 or more'),
  json: z.boolean().default(false),
});

export const generate = defineCommand({
  name: 'generate',
  description: 'write synthetic zh/en customer-service dialogues with CRM profiles (canonical JSONL)',
  options: [
    { flags: '--out <file>', help: 'output file', required: true },
    { flags: '--n <count>', help: 'number of dialogues', default: '1000' },
    { flags: '--seed <seed>', help: 'random seed', default: '42' },
    { flags: '--json', help: 'print the result as JSON' },
  ],
  args: GenerateArgs,
  async run({ out, n, seed, json }, { io }) {
    const path = resolve(out);
    mkdirSync(dirname(path), { recursive: true });
    const started = performance.now();
    const result = await writeCorpus({ n, seed, out: path });
    const seconds = (performance.now() - started) / 1000;
    if (json) io.out(JSON.stringify({ out: path, ...result, seconds: Number(seconds.toFixed(2)) }));
    else io.out(`wrote ${result.dialogues.toLocaleString('en-US')} synthetic dialogues and ${result.customers.toLocaleString('en-US')} customers to ${path} (seed ${seed}, ${seconds.toFixed(1)} s)`);
    return EXIT.ok;
  },
});
