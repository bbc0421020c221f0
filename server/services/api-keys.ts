// API keys: `fc_<role>_<random>`, shown once at creation and stored only as a sha256 hash.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { Role, type ApiKeyInfo, type Role as RoleType } from '../domain/label.ts';
import { ApiKeyRepository } from '../storage/api-key-repository.ts';
import type { Database } from '../storage/database.ts';
import { LOCAL_CLI_VIEWER, localCliOf } from './local-cli.ts';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createApiKey(db: Database, role: RoleType, name?: string): Promise<{ key: string; info: ApiKeyInfo }> {
  const parsed = Role.safeParse(role);
  if (!parsed.success) throw new AppError('usage', `unknown role "${role}"; roles: ${Role.options.join(', ')}`);
  const key = `fc_${role}_${randomBytes(24).toString('base64url')}`;
  const id = `key-${randomUUID().slice(0, 8)}`;
  const keyName = name?.trim() || `${role}-${id.slice(4)}`;
  const info = await new ApiKeyRepository(db).insert({ id, name: keyName, role: parsed.data, hash: hashKey(key) });
  return { key, info };
}

/** Where active keys are found by hash: the store, or an answer replica's mirror of it (server/scale). */
export interface ApiKeyLookup {
  findActiveByHash(hash: string): Promise<ApiKeyInfo | undefined>;
}

/**
 * Looks keys up by hash, caching hits briefly so authentication costs no query per request. Requests
 * that miss together (a server's first burst, or every connection when an entry expires under load)
 * share one lookup instead of each queueing its own behind the store's other statements.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { info: ApiKeyInfo; until: number }>();
  private readonly inFlight = new Map<string, Promise<ApiKeyInfo | undefined>>();
  private readonly keys: ApiKeyLookup;

  /** `db` null: an answer replica, whose keys come from `keys` (it has no store and no local CLI token). */
  constructor(
    private readonly db: Database | null,
    private readonly ttlMs = 30_000,
    keys?: ApiKeyLookup,
  ) {
    this.keys = keys ?? new ApiKeyRepository(db!);
  }

  async verify(key: string): Promise<ApiKeyInfo | undefined> {
    if (!/^fc_[a-z]+_[A-Za-z0-9_-]{20,}$/.test(key)) return undefined;
    // The token `firstcall serve` wrote next to the store (owner-only) makes its holder an admin.
    const local = this.db ? localCliOf(this.db)?.token : undefined;
    if (local && sameSecret(key, local)) return { ...LOCAL_CLI_VIEWER };
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.info;
    let lookup = this.inFlight.get(hash);
    if (!lookup) {
      lookup = this.lookUp(hash);
      this.inFlight.set(hash, lookup);
    }
    return lookup;
  }

  private async lookUp(hash: string): Promise<ApiKeyInfo | undefined> {
    try {
      const info = await this.keys.findActiveByHash(hash);
      // Not cached when forget() (a revocation) came while the lookup ran: it may predate the revocation.
      if (info && this.inFlight.has(hash)) this.cache.set(hash, { info, until: Date.now() + this.ttlMs });
      return info;
    } finally {
      this.inFlight.delete(hash);
    }
  }

  forget(): void {
    this.cache.clear();
    this.inFlight.clear();
  }
}

const sameSecret = (a: string, b: string) => {
  const [x, y] = [hashKey(a), hashKey(b)].map((h) => Buffer.from(h, 'hex')) as [Buffer, Buffer];
  return timingSafeEqual(x, y);
};

/** Active keys with their hashes, for the mirror answer replicas authenticate against. */
export async function activeKeyHashes(db: Database): Promise<{ hash: string; info: ApiKeyInfo }[]> {
  return new ApiKeyRepository(db).listActiveWithHashes();
}

export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  return new ApiKeyRepository(db).listActive();
}

export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  return new ApiKeyRepository(db).revoke(id);
}
