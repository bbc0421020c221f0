// For exchange-log.test.ts: logs exchanges on the store given, with the store's connection held by a
// transaction that never ends (so none of them can be committed), prints `journaled N` once every
// save has resolved, and waits to be killed.
import { openDatabase } from '../storage/database.ts';
import { ExchangeLog } from './exchange-log.ts';

const [store, count] = process.argv.slice(2) as [string, string];
const db = await openDatabase(store);
const log = ExchangeLog.of(db);
await log.settled(); // anything replayed
void db.transaction(() => new Promise(() => undefined));
const n = Number(count);
const bot = { keyId: 'key-1', channel: 'web' };
await Promise.all(
  Array.from({ length: n }, (_, i) =>
    log.save(
      {
        id: `prod-web-killed-${i}`,
        channel: 'web',
        customerId: i % 2 === 0 ? `c-${i}` : null,
        language: i % 3 === 0 ? 'en' : 'zh',
        turns: [
          { role: 'customer', text: `我的订单 ${i} 到哪了？` },
          { role: 'agent', text: `订单 ${i} 已发货。`, agent_kind: 'bot' },
        ],
        escalated: i % 5 === 0,
        metadata: { config_version: 'v1', n: i },
      },
      bot,
      false,
    ),
  ),
);
// A continuation of one of them, journaled before the kill too: the longer version is the one kept.
await log.save(
  {
    id: 'prod-web-killed-0',
    channel: 'web',
    customerId: 'c-0',
    language: 'en',
    turns: [
      { role: 'customer', text: '我的订单 0 到哪了？' },
      { role: 'agent', text: '订单 0 已发货。', agent_kind: 'bot' },
      { role: 'customer', text: '谢谢' },
      { role: 'agent', text: '不客气。', agent_kind: 'bot' },
    ],
    escalated: false,
    metadata: { config_version: 'v1', n: 0 },
  },
  bot,
  true,
);
console.log(`journaled ${n}`);
setInterval(() => undefined, 1000);
