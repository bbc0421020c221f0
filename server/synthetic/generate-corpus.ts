// The seeded corpus generator: customers (each emitted just before their first dialogue) and
// their dialogues, streamed lazily so memory stays flat whatever `n` is.
import { z } from 'zod';
import type { Customer, DialogueInput } from '../domain/dialogue.ts';
import { planCustomer } from './customer-plan.ts';
import { buildDialogue } from './dialogue-builder.ts';
import { plantedSpikeItems, PlantedSpike } from './planted-spike.ts';
import { createRng, streamSeed } from './rng.ts';

/** The fixed default clock, so the same seed gives the same bytes on any day. */
export const DEFAULT_NOW = new Date('2026-06-30T12:00:00+08:00');

export const CorpusOptions = z.object({
  /** Number of dialogues (customers come on top, about n/3). */
  n: z.number().int().min(0).max(1_000_000_000),
  seed: z.number().int().min(0).max(0xffffffff),
  now: z.date().optional(),
  /** Extra dialogues planted on one day (server/synthetic/planted-spike.ts), after the `n` ordinary ones. */
  plantSpike: PlantedSpike.optional(),
});
export type CorpusOptions = z.input<typeof CorpusOptions>;

export type CorpusItem =
  | { kind: 'customer'; customer: Customer }
  | { kind: 'dialogue'; dialogue: DialogueInput };

/** `syn-<seed>-<index>`, index 1-based and zero-padded to 7 digits, independent of n. */
export function dialogueId(seed: number, index: number): string {
  return `syn-${seed}-${String(index).padStart(7, '0')}`;
}

/**
 * Yields exactly `n` dialogues (then a planted spike's, when asked) and the customers they reference. Each customer is generated from
 * its own stream seed, so a corpus of n is a prefix of a larger one with the same seed (up to the
 * last customer's remaining contacts).
 */
export function* generateCorpus(options: CorpusOptions): Generator<CorpusItem, void, undefined> {
  const { n, seed, now, plantSpike } = CorpusOptions.parse(options);
  const nowMs = (now ?? DEFAULT_NOW).getTime();
  let emitted = 0;
  for (let k = 0; emitted < n; k++) {
    const rng = createRng(streamSeed(seed, k));
    const plan = planCustomer(rng, k, nowMs);
    yield { kind: 'customer', customer: plan.customer };
    const take = Math.min(plan.contacts.length, n - emitted);
    for (let i = 0; i < take; i++) {
      const c = plan.contacts[i]!;
      const dialogue = buildDialogue(rng, {
        id: dialogueId(seed, emitted + i + 1),
        customerId: plan.customer.customer_id,
        zh: plan.zh,
        offsetMin: plan.offsetMin,
        startMs: c.startMs,
        episodeDay: c.episodeDay,
        def: c.def,
        variant: c.variant,
        purchase: c.purchase,
        caseSeed: c.caseSeed,
        mobilePlan: plan.mobilePlan,
        person: plan.person,
        repeatOf: c.repeatOf === undefined ? undefined : { id: dialogueId(seed, emitted + c.repeatOf.seq + 1), days: c.repeatDays },
        followedByRepeat: c.followedByRepeat,
      });
      yield { kind: 'dialogue', dialogue };
    }
    emitted += take;
  }
  if (plantSpike !== undefined) yield* plantedSpikeItems(plantSpike, seed, nowMs, (i) => dialogueId(seed, n + i + 1));
}
