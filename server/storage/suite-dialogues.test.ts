// Whether a dialogue is frozen in a suite is a lookup in suite_dialogues, written with each suite and,
// for suites stored before it existed, filled by its migration from their cases.
import { describe, expect, it } from 'vitest';
import { evalStore } from '../test-support/eval-fixture.ts';
import { migrate } from './database.ts';
import { SuiteRepository } from './suite-repository.ts';

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe('suite_dialogues', () => {
  it('holds every dialogue of a suite written since, and the migration fills it from the suites stored before it', async () => {
    const { db, suite } = await evalStore(12);
    const expected = [...new Set(suite.cases.map((c) => c.dialogue_id))].sort();
    expect(expected.length).toBeGreaterThan(0);
    const written = await db.all<{ id: string }>('SELECT dialogue_id AS id FROM suite_dialogues WHERE suite = $s AND version = $v', { s: suite.name, v: suite.version });
    expect(ids(written)).toEqual(expected);
    expect([...(await new SuiteRepository(db).dialogueIds())].sort()).toEqual(expected);

    // As a store made before migration 13: the suite is there, its rows are not.
    await db.run('DROP TABLE suite_dialogues');
    await db.run('DELETE FROM schema_migrations WHERE version = 13');
    expect(await migrate(db)).toEqual([13]);
    const filled = await db.all<{ id: string }>('SELECT dialogue_id AS id FROM suite_dialogues WHERE suite = $s AND version = $v', { s: suite.name, v: suite.version });
    expect(ids(filled)).toEqual(expected);
  });
});
