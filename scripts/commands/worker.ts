// `firstcall worker`: runs eval calls and simulated conversations taken from the work queues in Redis
// (server/scale/worker.ts) until stopped. It never opens the store: the process that enqueued the work
// stores the results. Keys and base URLs come from this process's environment (flags never carry them).
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { PROVIDER_IDS, type ProviderId } from '../../server/providers/registry.ts';
import { RedisUrl } from '../../server/scale/redis-options.ts';
import { parseRateLimit, startWorker, type RateLimit } from '../../server/scale/worker.ts';
import { collect, defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { untilSignal } from './serve.ts';

export const workerCommand = defineCommand({
  name: 'worker',
  description: 'run eval cases and simulated conversations from the Redis work queues (started by eval/simulate --redis); stores nothing itself',
  options: [
    { flags: '--redis <url>', help: 'Redis URL, e.g. redis://127.0.0.1:6379 (else FIRSTCALL_REDIS_URL)', env: ['FIRSTCALL_REDIS_URL'] },
    { flags: '--concurrency <n>', help: 'jobs in flight per provider', default: '8' },
    { flags: '--rate <provider=N/unit>', help: 'rate limit shared by every worker, e.g. openai=20/s or hf=300/min; repeat per provider (give all workers the same)', parse: collect, default: [] },
    { flags: '--providers <list>', help: `which providers' queues to take work from (default all: ${PROVIDER_IDS.join(',')})` },
    { flags: '--lock <ms>', help: 'how long a job stays with a worker that stopped answering before another takes it', default: '10000' },
  ],
  args: z.object({
    redis: RedisUrl.optional(),
    concurrency: z.coerce.number().int().min(1).max(512).default(8),
    rate: z.array(z.string()).default([]),
    providers: z.string().optional(),
    lock: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  }),
  async run(a, { io }) {
    const redis = a.redis ?? RedisUrl.parse(process.env.FIRSTCALL_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const rateLimits: Partial<Record<ProviderId, RateLimit>> = {};
    for (const text of a.rate) {
      const [provider, limit] = parseRateLimit(text);
      rateLimits[provider] = limit;
    }
    const providers = a.providers ? a.providers.split(',').map((p) => p.trim()) : [...PROVIDER_IDS];
    for (const p of providers) if (!(PROVIDER_IDS as readonly string[]).includes(p)) throw usageError(`--providers: unknown provider "${p}"; providers: ${PROVIDER_IDS.join(', ')}`);
    let done = 0;
    let failed = 0;
    const worker = startWorker({
      redis,
      concurrency: a.concurrency,
      rateLimits,
      providers: providers as ProviderId[],
      lockDurationMs: a.lock,
      onJob: ({ ok }) => {
        done++;
        if (!ok) failed++;
      },
    });
    await worker.ready;
    io.out(`firstcall worker ${worker.name} is taking work from ${redis.replace(/\/\/[^@/]*@/, '//***@')} (${providers.join(', ')}; ${a.concurrency} per provider; Ctrl-C to stop)`);
    const signal = await untilSignal();
    io.err(`${signal}: finishing the jobs in flight`);
    await worker.close();
    io.err(`worker ${worker.name}: ${done} jobs (${failed} failed calls)`);
    return EXIT.ok;
  },
});
