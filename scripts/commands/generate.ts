// `firstcall generate`: synthetic zh/en customer-service dialogues with CRM profiles.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { EXIT, type CommandIO } from '../io.ts';

export const GenerateArgs = z.object({
  out: z.string().min(1),
  n: z.number().int('--n must be a whole number').min(1, '--n must be at least 1').max(50_000_000),
  seed: z.number().int('--seed must be an integer').min(0, '--seed must be 0 or more'),
  json: z.boolean().default(false),
});

export async function generateCommand(input: z.input<typeof GenerateArgs>, io: CommandIO): Promise<number> {
  const parsed = GenerateArgs.safeParse(input);
  if (!parsed.success) throw usageError(parsed.error.issues.map((i) => i.message).join('; '));
  const { out, n, seed, json } = parsed.data;
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  const started = performance.now();
  const result = await writeCorpus({ n, seed, out: path });
  const seconds = (performance.now() - started) / 1000;
  if (json) io.out(JSON.stringify({ out: path, ...result, seconds: Number(seconds.toFixed(2)) }));
  else io.out(`wrote ${result.dialogues.toLocaleString('en-US')} synthetic dialogues and ${result.customers.toLocaleString('en-US')} customers to ${path} (seed ${seed}, ${seconds.toFixed(1)} s)`);
  return EXIT.ok;
}
