// API keys, stored as sha256 hashes of the key (the key itself is shown once and never stored).
import { ApiKeyInfo } from '../domain/label.ts';
import type { Database } from './database.ts';

const SELECT = `id, name, role, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at`;

export function apiKeyFromRow(row: Record<string, unknown>): ApiKeyInfo {
  return ApiKeyInfo.parse(row);
}

export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  async insert(key: { id: string; name: string; role: ApiKeyInfo['role']; hash: string }): Promise<ApiKeyInfo> {
    const [row] = await this.db.all(
      `INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($id, $name, $role, $hash, now()) RETURNING ${SELECT}`,
      { id: key.id, name: key.name, role: key.role, hash: key.hash },
    );
    return apiKeyFromRow(row!);
  }

  /** The key with this hash, unless revoked. */
  async findActiveByHash(hash: string): Promise<ApiKeyInfo | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT} FROM api_keys WHERE key_hash = $hash AND revoked_at IS NULL`, { hash });
    return row ? apiKeyFromRow(row) : undefined;
  }

  async listActive(): Promise<ApiKeyInfo[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at`)).map(apiKeyFromRow);
  }

  /** Active keys with their hashes (the hashes only: keys are never stored). */
  async listActiveWithHashes(): Promise<{ hash: string; info: ApiKeyInfo }[]> {
    const rows = await this.db.all(`SELECT ${SELECT}, key_hash FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at`);
    return rows.map(({ key_hash, ...row }) => ({ hash: String(key_hash), info: apiKeyFromRow(row) }));
  }

  /** False when there is no such key or it was already revoked. */
  async revoke(id: string): Promise<boolean> {
    const rows = await this.db.all('UPDATE api_keys SET revoked_at = now() WHERE id = $id AND revoked_at IS NULL RETURNING id', { id });
    return rows.length > 0;
  }
}
