// A small store for labeling tests: dialogues with customers, FCR estimates and one key per role.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DialogueInput } from '../domain/dialogue.ts';
import type { Role } from '../domain/label.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { createApiKey } from '../services/api-keys.ts';
import { refreshFcrEstimates } from '../services/fcr-from-logs.ts';
import type { Database } from '../storage/database.ts';
import { tempDir, tempStore } from './temp.ts';

export function fixtureDialogue(id: string, overrides: Partial<DialogueInput> = {}): DialogueInput {
  return {
    id,
    channel: 'web',
    customer_id: 'c-1',
    language: 'zh',
    started_at: '2026-03-02T09:14:00+08:00',
    turns: [
      { role: 'customer', text: '我刚买的手机屏幕碎了怎么办' },
      { role: 'agent', text: '您好，您的手机在保修期内，可以免费维修。', agent_kind: 'human' },
    ],
    outcome: { resolved: true, escalated: false },
    metadata: { intent: 'screen_repair' },
    ...overrides,
  };
}

export const FIXTURE_CUSTOMER = {
  customer_id: 'c-1',
  name: '李娜',
  tier: 'vip',
  purchases: [
    { product: 'Phone X', purchased_at: '2026-02-09', warranty_months: 12 },
    { product: 'Phone 9', purchased_at: '2025-01-02', warranty_months: 12 },
  ],
};

export type Keys = Record<Role | 'reviewer2', string>;

export async function labelingStore(dialogues: readonly DialogueInput[]): Promise<{ db: Database; keys: Keys }> {
  const dir = tempDir();
  const file = join(dir, 'fixture.jsonl');
  writeFileSync(file, [FIXTURE_CUSTOMER, ...dialogues].map((d) => JSON.stringify(d)).join('\n'));
  const db = await tempStore(dir);
  await ingestFiles(db, { paths: [file] });
  await refreshFcrEstimates(db);
  const keys = {
    reviewer: (await createApiKey(db, 'reviewer', 'alice')).key,
    reviewer2: (await createApiKey(db, 'reviewer', 'bob')).key,
    engineer: (await createApiKey(db, 'engineer', 'erin')).key,
    admin: (await createApiKey(db, 'admin', 'ada')).key,
    bot: (await createApiKey(db, 'bot', 'web-bot')).key,
  };
  return { db, keys };
}
