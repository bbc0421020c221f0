// GET/PUT /api/settings: labeling and gate settings over HTTP, who may change them, and validation.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { DEFAULT_GATE_SETTINGS } from '../domain/settings.ts';
import { getGateSettings, getSettings } from '../services/settings.ts';
import type { Database } from '../storage/database.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let db: Database;
let keys: Keys;
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (key: string) => app.inject({ url: '/api/settings', headers: as(key) });
const put = (key: string, payload: object) => app.inject({ method: 'PUT', url: '/api/settings', payload, headers: as(key) });

beforeAll(async () => {
  ({ db, keys } = await labelingStore([fixtureDialogue('d-1')]));
  app = await buildApp({ db, maxAuthFailures: 1000 });
});
afterAll(() => app?.close());

describe('/api/settings', () => {
  it('gives every labeler the labeling and gate settings, with the defaults on a new store', async () => {
    const response = await get(keys.reviewer);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ overlap: 1, fcr_window_days: expect.any(Number), ...DEFAULT_GATE_SETTINGS });
  });

  it('lets an admin change the gate settings, which the gate then uses, and keeps the fields left out', async () => {
    const before = (await get(keys.admin)).json();
    const response = await put(keys.admin, { gate_min_kappa: 0.55, gate_min_auc: 0.85, gate_min_labels: 50, gate_untrusted: true });
    expect(response.statusCode, response.body).toBe(200);
    const expected = { ...before, gate_min_kappa: 0.55, gate_min_auc: 0.85, gate_min_labels: 50, gate_untrusted: true };
    expect(response.json()).toEqual(expected);
    expect((await get(keys.engineer)).json()).toEqual(expected);
    expect(await getGateSettings(db)).toEqual({ gate_min_kappa: 0.55, gate_min_auc: 0.85, gate_min_labels: 50, gate_untrusted: true });

    // Only the labeling fields: the gate settings stay as they are.
    expect((await put(keys.admin, { overlap: 2, fcr_window_days: 14 })).json()).toEqual({ ...expected, overlap: 2, fcr_window_days: 14 });
    expect(await getSettings(db)).toEqual({ overlap: 2, fcr_window_days: 14 });
    expect((await put(keys.admin, { gate_untrusted: false })).json()).toMatchObject({ overlap: 2, gate_min_kappa: 0.55, gate_untrusted: false });
  });

  it('lets no one but an admin change them', async () => {
    const before = (await get(keys.admin)).json();
    for (const key of [keys.engineer, keys.reviewer, keys.bot]) expect((await put(key, { gate_untrusted: !before.gate_untrusted })).statusCode).toBe(403);
    expect((await get(keys.admin)).json()).toEqual(before);
  });

  it('refuses values out of range and unknown fields with a 400 that says why, and stores nothing', async () => {
    const before = (await get(keys.admin)).json();
    const cases: [object, RegExp][] = [
      [{ gate_min_kappa: 1.5 }, /gate_min_kappa: Cohen's kappa, from −1 to 1/],
      [{ gate_min_kappa: -1.01 }, /gate_min_kappa: Cohen's kappa, from −1 to 1/],
      [{ gate_min_auc: 0.3 }, /gate_min_auc: an AUC/],
      [{ gate_min_labels: 2.5 }, /gate_min_labels: a whole number/],
      [{ gate_min_labels: -1 }, /gate_min_labels: a number of labels, 0 or more/],
      [{ gate_untrusted: 'yes' }, /gate_untrusted/],
      [{ gate_min_kapa: 0.5 }, /gate_min_kapa/],
      // One bad field refuses the whole update, the good one too.
      [{ overlap: 3, gate_min_kappa: 2 }, /gate_min_kappa/],
    ];
    for (const [payload, message] of cases) {
      const response = await put(keys.admin, payload);
      expect({ payload, status: response.statusCode }).toEqual({ payload, status: 400 });
      expect(response.json().error.message).toMatch(message);
    }
    expect((await get(keys.admin)).json()).toEqual(before);
  });
});
