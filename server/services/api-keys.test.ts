import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyInfo } from '../domain/label.ts';
import { ApiKeyRepository } from '../storage/api-key-repository.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { ApiKeyVerifier, createApiKey, revokeApiKey, type ApiKeyLookup } from './api-keys.ts';

/** The store's key lookup, counting the queries it makes; `failNext` makes the next one throw. */
function countingLookup(db: Database) {
  const repository = new ApiKeyRepository(db);
  const lookup = {
    queries: 0,
    failNext: false,
    async findActiveByHash(hash: string): Promise<ApiKeyInfo | undefined> {
      lookup.queries++;
      if (lookup.failNext) {
        lookup.failNext = false;
        throw new Error('the store is not answering');
      }
      return repository.findActiveByHash(hash);
    },
  } satisfies ApiKeyLookup & Record<string, unknown>;
  return lookup;
}

describe('API key verification', () => {
  let db: Database;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
  });
  afterEach(() => db.close());

  it('answers requests that miss the cache together with one lookup, then from the cache', async () => {
    const { key, info } = await createApiKey(db, 'reviewer', 'burst');
    const lookup = countingLookup(db);
    const verifier = new ApiKeyVerifier(db, 30_000, lookup);

    const burst = await Promise.all(Array.from({ length: 50 }, () => verifier.verify(key)));
    expect(burst.map((v) => v?.id)).toEqual(Array(50).fill(info.id));
    expect(lookup.queries).toBe(1);

    expect((await verifier.verify(key))?.role).toBe('reviewer');
    expect(lookup.queries).toBe(1);
  });

  it('looks an expired entry up once more, for every request waiting on it', async () => {
    const { key } = await createApiKey(db, 'engineer');
    const lookup = countingLookup(db);
    const verifier = new ApiKeyVerifier(db, 0, lookup); // every entry expired at once

    await verifier.verify(key);
    await Promise.all(Array.from({ length: 10 }, () => verifier.verify(key)));
    expect(lookup.queries).toBe(2);
  });

  it('does not share a failed lookup with later requests, and does not remember unknown keys', async () => {
    const { key } = await createApiKey(db, 'admin');
    const lookup = countingLookup(db);
    const verifier = new ApiKeyVerifier(db, 30_000, lookup);

    lookup.failNext = true;
    const failed = await Promise.allSettled([verifier.verify(key), verifier.verify(key)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(lookup.queries).toBe(1);
    expect((await verifier.verify(key))?.role).toBe('admin');
    expect(lookup.queries).toBe(2);

    const unknown = 'fc_admin_' + 'x'.repeat(32);
    expect(await Promise.all([verifier.verify(unknown), verifier.verify(unknown)])).toEqual([undefined, undefined]);
    expect(await verifier.verify(unknown)).toBeUndefined();
    expect(lookup.queries).toBe(4);
  });

  it('keeps no key from a lookup that forget() overtook: a revoked key is looked up again', async () => {
    const { key, info } = await createApiKey(db, 'reviewer');
    const repository = new ApiKeyRepository(db);
    let answered!: () => void;
    let open!: () => void;
    const queried = new Promise<void>((resolve) => (answered = resolve));
    const gate = new Promise<void>((resolve) => (open = resolve));
    let queries = 0;
    // The first lookup reads the key before it is revoked and returns only after forget().
    const slow: ApiKeyLookup = {
      async findActiveByHash(hash) {
        const found = await repository.findActiveByHash(hash);
        if (++queries === 1) {
          answered();
          await gate;
        }
        return found;
      },
    };
    const verifier = new ApiKeyVerifier(db, 30_000, slow);

    const pending = verifier.verify(key);
    await queried;
    await revokeApiKey(db, info.id);
    verifier.forget();
    open();
    expect((await pending)?.id).toBe(info.id); // it was asked before the revocation
    expect(await verifier.verify(key)).toBeUndefined();
    expect(queries).toBe(2);
  });
});
