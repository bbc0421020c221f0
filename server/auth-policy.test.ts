// Who may call what, written down here from the README's roles and what each route is for, and
// checked against the real app for every route × caller × spelling of the path. The expected policy
// never comes from the routes' own declarations, so a wrong declaration fails here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { Role } from './domain/label.ts';
import { buildFinetuneSet } from './finetune/build-set.ts';
import { LabelRepository } from './storage/label-repository.ts';
import { fixtureDialogue, labelingStore, type Keys } from './test-support/labeling-fixture.ts';
import { tempDir } from './test-support/temp.ts';

// reviewer: queue, own labels, agreement; engineer: what reviewers see, everyone's labels,
// adjudication read-only, runs, promotion, fine-tuning sets; admin: also adjudication, guidelines,
// settings, rollback; bot: the production routes only.
const EVERYONE = ['reviewer', 'engineer', 'admin', 'bot'] as const;
const LABELERS = ['reviewer', 'engineer', 'admin'] as const;
const TEAM = ['engineer', 'admin'] as const;
const ADMIN = ['admin'] as const;
const PRODUCTION = ['bot', 'admin'] as const;
const CONFIG_READERS = ['bot', 'engineer', 'admin'] as const;

/** `METHOD route` → who may call it, and a concrete URL to call it with. */
const POLICY: Record<string, { may: readonly Role[] | 'public'; url: string }> = {
  'GET /api/health': { may: 'public', url: '/api/health' },
  'GET /api/me': { may: EVERYONE, url: '/api/me' },

  'GET /api/queue/next': { may: LABELERS, url: '/api/queue/next' },
  'POST /api/queue/skip': { may: LABELERS, url: '/api/queue/skip' },
  'GET /api/dialogues/:id': { may: LABELERS, url: '/api/dialogues/d-1' },
  'PUT /api/dialogues/:id/label': { may: LABELERS, url: '/api/dialogues/d-1/label' },
  'GET /api/labels': { may: LABELERS, url: '/api/labels' },
  'GET /api/intents': { may: LABELERS, url: '/api/intents' },
  'POST /api/intents': { may: LABELERS, url: '/api/intents' },
  'GET /api/agreement': { may: LABELERS, url: '/api/agreement' },
  'GET /api/guidelines': { may: LABELERS, url: '/api/guidelines' },
  'GET /api/settings': { may: LABELERS, url: '/api/settings' },
  'GET /api/adjudication': { may: TEAM, url: '/api/adjudication' },
  'POST /api/adjudication/:id': { may: ADMIN, url: '/api/adjudication/d-1' },
  'PUT /api/guidelines': { may: ADMIN, url: '/api/guidelines' },
  'PUT /api/settings': { may: ADMIN, url: '/api/settings' },

  'GET /api/suites': { may: TEAM, url: '/api/suites' },
  'GET /api/candidates': { may: TEAM, url: '/api/candidates' },
  'POST /api/runs': { may: TEAM, url: '/api/runs' },
  'GET /api/runs': { may: TEAM, url: '/api/runs' },
  'GET /api/runs/:id': { may: TEAM, url: '/api/runs/run-x' },
  'GET /api/runs/:id/events': { may: TEAM, url: '/api/runs/run-x/events' },
  'GET /api/runs/:id/conversations': { may: TEAM, url: '/api/runs/run-x/conversations' },
  'GET /api/runs/:id/conversations/:scenario_id/:trial': { may: TEAM, url: '/api/runs/run-x/conversations/s-1/1' },
  'GET /api/leaderboard': { may: TEAM, url: '/api/leaderboard' },
  'GET /api/compare': { may: TEAM, url: '/api/compare' },
  'POST /api/promotions': { may: TEAM, url: '/api/promotions' },
  'GET /api/configs/history': { may: TEAM, url: '/api/configs/history' },
  'POST /api/configs/:channel/rollback': { may: ADMIN, url: '/api/configs/web/rollback' },
  'GET /api/finetune/sets': { may: TEAM, url: '/api/finetune/sets' },
  'GET /api/finetune/sets/:name/:version/:file': { may: TEAM, url: '/api/finetune/sets/demo/1/train.jsonl' },

  'POST /api/cli/:command': { may: ADMIN, url: '/api/cli/stats' },

  // Insights for team leads: engineers and admins read and run detection; only an admin acknowledges or changes the alert settings.
  'GET /api/insights/trends': { may: TEAM, url: '/api/insights/trends' },
  'GET /api/insights/channels': { may: TEAM, url: '/api/insights/channels' },
  'GET /api/insights/alerts': { may: TEAM, url: '/api/insights/alerts?status=open' },
  'POST /api/insights/alerts/:id/acknowledge': { may: ADMIN, url: '/api/insights/alerts/alert-x/acknowledge' },
  'POST /api/insights/detect': { may: TEAM, url: '/api/insights/detect' },
  'GET /api/insights/settings': { may: TEAM, url: '/api/insights/settings' },
  'PUT /api/insights/settings': { may: ADMIN, url: '/api/insights/settings' },

  'GET /api/topics': { may: TEAM, url: '/api/topics' },
  'POST /api/topics/:id/name': { may: ADMIN, url: '/api/topics/topic-zh-x/name' },

  'GET /v1/configs/:channel': { may: CONFIG_READERS, url: '/v1/configs/web' },
  'POST /v1/answer': { may: PRODUCTION, url: '/v1/answer' },
  'POST /v1/chat/completions': { may: PRODUCTION, url: '/v1/chat/completions' },
  // The OpenAI model list is the promoted configs under another name: whoever may read /v1/configs.
  'GET /v1/models': { may: CONFIG_READERS, url: '/v1/models' },
  'GET /v1/models/:model': { may: CONFIG_READERS, url: '/v1/models/firstcall:web' },

  // The web UI's files (from the fixture folder below) and the API docs.
  'GET /': { may: 'public', url: '/' },
  'GET /index.html': { may: 'public', url: '/index.html' },
  'GET /assets/app.js': { may: 'public', url: '/assets/app.js' },
  'GET /docs': { may: 'public', url: '/docs' },
  'GET /docs/json': { may: 'public', url: '/docs/json' },
  'GET /docs/yaml': { may: 'public', url: '/docs/yaml' },
  'GET /docs/static/index.html': { may: 'public', url: '/docs/static/index.html' },
  'GET /docs/static/swagger-initializer.js': { may: 'public', url: '/docs/static/swagger-initializer.js' },
  'GET /docs/static/*': { may: 'public', url: '/docs/static/swagger-ui.css' },
};

/** Ways of writing the same path; the first two reach the route, the others may or may not. */
const SPELLINGS: Record<string, (path: string) => string> = {
  plain: (p) => p,
  'one letter percent-encoded': (p) => p.replace(/[a-z]/i, (c) => `%${c.charCodeAt(0).toString(16)}`),
  'leading double slash': (p) => `/${p}`,
  'inner double slash': (p) => p.replace(/^(\/[^/]+)\//, '$1//'),
  'upper-cased': (p) => p.replace(/^\/[^/]+/, (s) => s.toUpperCase()),
  'trailing dot': (p) => `${p}.`,
  ';param': (p) => `${p};jsessionid=1`,
};
const ROUTING = new Set(['plain', 'one letter percent-encoded']);

type Caller = Role | 'no key' | 'unknown key';
const CALLERS: readonly Caller[] = ['no key', 'unknown key', 'reviewer', 'engineer', 'admin', 'bot'];

let app: FastifyInstance;
let keys: Keys;

beforeAll(async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `d-${i + 1}`);
  const store = await labelingStore(ids.map((id, i) => fixtureDialogue(id, { customer_id: `c-${i}`, turns: [{ role: 'customer', text: `Where is parcel ${i * 7919}?` }, { role: 'agent', text: 'It arrives tomorrow.' }] })));
  keys = store.keys;
  // A real fine-tuning set, so that a download that slipped past the check would return data.
  await new LabelRepository(store.db).upsertMany(ids.map((id) => ({ dialogue_id: id, reviewer: 'alice', status: 'submitted' as const, schema_version: 1, intent: 'delivery_delay', fcr: 'yes' as const, accuracy: 'correct' as const, tone: 5, tone_tags: [], escalation_needed: 'no' as const, escalated: 'no' as const, reference_answer: '', required_facts: [], notes: '', turn_flags: [] })));
  await buildFinetuneSet(store.db, { name: 'demo', format: 'openai', out: tempDir() });
  const uiDir = tempDir();
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>firstcall</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'export {};');
  app = await buildApp({ db: store.db, uiDir, maxAuthFailures: 1_000_000 });
  await app.ready();
});
afterAll(() => app?.close());

const headersOf = (caller: Caller) =>
  caller === 'no key' ? {} : { authorization: `Bearer ${caller === 'unknown key' ? 'fc_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' : keys[caller]}` };

/** `METHOD path` of every route the router holds, from its printed tree (HEAD twins left out). */
function routerRoutes(instance: FastifyInstance): string[] {
  const paths: string[] = [];
  const found: string[] = [];
  for (const line of instance.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    paths[depth] = (depth > 0 ? paths[depth - 1]! : '') + match[2]!;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') found.push(`${method} ${paths[depth]}`);
  }
  // '/docs' also answers as '/docs/' (one route, two router entries).
  return found.filter((r) => !(r.endsWith('/') && r.length > 5 && found.includes(r.slice(0, -1))));
}

describe('the route table', () => {
  it('names every route the app has and no route it lacks, so a new route cannot escape the policy', () => {
    const declared = app.routeRoles.map((r) => `${r.method} ${r.url}`);
    expect(declared.filter((r) => !(r in POLICY))).toEqual([]);
    expect(Object.keys(POLICY).filter((r) => !declared.includes(r))).toEqual([]);
    // The router holds no route that the auth plugin did not see (e.g. one registered before it).
    const inRouter = routerRoutes(app);
    expect(inRouter).toHaveLength(declared.length);
    expect(inRouter.filter((r) => !r.includes('*') && !declared.includes(r))).toEqual([]);
  });
});

describe('who may call what', () => {
  const cases = Object.entries(POLICY).flatMap(([route, policy]) =>
    Object.entries(SPELLINGS).flatMap(([spelling, spell]) => CALLERS.map((caller) => ({ route, policy, spelling, url: spell(policy.url), caller }))),
  );

  it('lets in exactly the roles in the table, on every route, for every spelling of its path', async () => {
    const wrong: string[] = [];
    for (const { route, policy, spelling, url, caller } of cases) {
      const method = route.split(' ')[0] as 'GET';
      const response = await app.inject({ method, url, headers: headersOf(caller) });
      const status = response.statusCode;
      const body = response.body;
      const noRoute = status === 404 && String(response.headers['content-type']).startsWith('application/json') && JSON.parse(body).error?.message?.startsWith('no route');
      const anonymous = caller === 'no key' || caller === 'unknown key';
      let ok: boolean;
      if (status >= 500) ok = false;
      else if (policy.may === 'public') ok = status !== 401 && status !== 403;
      else if (anonymous) ok = status === 401 || (!ROUTING.has(spelling) && Boolean(noRoute));
      else if (!policy.may.includes(caller as Role)) ok = status === 403 || (!ROUTING.has(spelling) && Boolean(noRoute));
      else ok = status !== 401 && status !== 403;
      if (!ok) wrong.push(`${caller} ${method} ${url} (${spelling}) -> ${status} ${body.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers HEAD on a protected GET route with 401 without a key', async () => {
    for (const [route, policy] of Object.entries(POLICY)) {
      if (!route.startsWith('GET ') || policy.may === 'public') continue;
      for (const url of [policy.url, SPELLINGS['one letter percent-encoded']!(policy.url)]) {
        expect({ url, status: (await app.inject({ method: 'HEAD', url })).statusCode }).toEqual({ url, status: 401 });
      }
    }
  });

  it('never sends a fine-tuning file or a viewer-dependent answer to a caller without a key, however the path is spelled', async () => {
    const right = await app.inject({ url: '/api/finetune/sets/demo/1/train.jsonl', headers: headersOf('engineer') });
    expect(right.statusCode).toBe(200); // the file exists: a leak would show
    for (const url of ['/%61pi/finetune/sets/demo/1/train.jsonl', '/api/%66inetune/sets/demo/1/train.jsonl', '/%61%70%69/me', '/%761/answer', '/%76%31/configs/web']) {
      const response = await app.inject({ method: url.includes('answer') ? 'POST' : 'GET', url, payload: url.includes('answer') ? { channel: 'web', messages: [{ role: 'user', content: 'hi' }] } : undefined });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 401 });
      expect(response.body).not.toContain('"messages"');
    }
  });
});

describe('deny by default', () => {
  let bare: Awaited<ReturnType<typeof labelingStore>>;
  beforeAll(async () => {
    bare = await labelingStore([fixtureDialogue('d-1')]);
  });

  it('refuses to start when an /api or /v1 route declares neither roles nor public', async () => {
    for (const url of ['/api/unguarded', '/v1/unguarded']) {
      const fresh = await buildApp({ db: bare.db });
      try {
        expect(() => fresh.get(url, async () => 'open')).toThrow(/declares no roles/);
      } finally {
        await fresh.close().catch(() => undefined);
      }
    }
  });

  it('asks for a key on a route outside /api and /v1 that declares nothing, and lets no role in', async () => {
    const fresh = await buildApp({ db: bare.db });
    fresh.get('/metrics', async () => ({ secret: 42 }));
    try {
      expect((await fresh.inject({ url: '/metrics' })).statusCode).toBe(401);
      for (const role of ['reviewer', 'engineer', 'admin', 'bot'] as const) {
        const response = await fresh.inject({ url: '/%6detrics', headers: { authorization: `Bearer ${bare.keys[role]}` } });
        expect(response.statusCode).toBe(403);
        expect(response.body).not.toContain('42');
      }
    } finally {
      await fresh.close();
    }
  });
});
