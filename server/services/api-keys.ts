// API keys: `fc_<role>_<random>`, shown once at creation and stored only as a sha256 hash.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { ApiKeyInfo, Role, type Role as RoleType } from '../domain/label.ts';
import type { Database } from '../storage/database.ts';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createApiKey(db: Database, role: RoleType, name?: string): Promise<{ key: string; info: ApiKeyInfo }> {
  const parsed = Role.safeParse(role);
  if (!parsed.success) throw new AppError('usage', `unknown role "${role}"; roles: ${Role.options.join(', ')}`);
  const key = `fc_${role}_${randomBytes(24).toString('base64url')}`;
  const id = `key-${randomUUID().slice(0, 8)}`;
  const keyName = name?.trim() || `${role}-${id.slice(4)}`;
  const [row] = await db.all(
    `INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($id, $name, $role, $hash, now())
     RETURNING id, name, role, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at`,
    { id, name: keyName, role, hash: hashKey(key) },
  );
  return { key, info: ApiKeyInfo.parse(row) };
}

/** Looks keys up by hash, caching hits briefly so authentication costs no query per request. */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, { info: ApiKeyInfo; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 30_000,
  ) {}

  async verify(key: string): Promise<ApiKeyInfo | undefined> {
    if (!/^fc_[a-z]+_[A-Za-z0-9_-]{20,}$/.test(key)) return undefined;
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.info;
    const [row] = await this.db.all(
      `SELECT id, name, role, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM api_keys WHERE key_hash = $hash AND revoked_at IS NULL`,
      { hash },
    );
    if (!row) return undefined;
    const info = ApiKeyInfo.parse(row);
    this.cache.set(hash, { info, until: Date.now() + this.ttlMs });
    return info;
  }

  forget(): void {
    this.cache.clear();
  }
}

export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  const rows = await db.all(
    `SELECT id, name, role, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at`,
  );
  return rows.map((r) => ApiKeyInfo.parse(r));
}

export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  const rows = await db.all('UPDATE api_keys SET revoked_at = now() WHERE id = $id AND revoked_at IS NULL RETURNING id', { id });
  return rows.length > 0;
}
