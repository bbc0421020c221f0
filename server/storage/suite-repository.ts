// Frozen eval suites: immutable versions per name, each with its cases as JSON.
import { Suite, SuiteCase } from '../domain/eval.ts';
import type { Database } from './database.ts';

/** A suite version without its cases, for lists. */
export interface SuiteInfo {
  name: string;
  version: number;
  hash: string;
  created_at: string;
  split: string;
  n_cases: number;
}

/** What near-duplicate guards need of a case: its dialogue, history and language. */
export type SuiteCaseText = Pick<SuiteCase, 'dialogue_id' | 'history' | 'language'>;

type Row = Record<string, unknown>;
const CaseText = SuiteCase.pick({ dialogue_id: true, history: true, language: true });

export function suiteFromRow(row: Row): Suite {
  return Suite.parse({
    ...row,
    version: Number(row.version),
    label_schema_version: Number(row.label_schema_version),
    filters: JSON.parse(String(row.filters)),
    cases: JSON.parse(String(row.cases)),
  });
}

export function suiteInfoFromRow(row: Row): SuiteInfo {
  return { ...(row as unknown as SuiteInfo), version: Number(row.version), n_cases: Number(row.n_cases) };
}

export class SuiteRepository {
  constructor(private readonly db: Database) {}

  /** The newest version of a suite, without its cases. */
  async latest(name: string): Promise<{ version: number; hash: string } | undefined> {
    const [row] = await this.db.all<{ version: number; hash: string }>('SELECT version, hash FROM suites WHERE name = $name ORDER BY version DESC LIMIT 1', { name });
    return row ? { version: Number(row.version), hash: row.hash } : undefined;
  }

  /** A version of a suite, or its newest version when `version` is not given. */
  async get(name: string, version?: number): Promise<Suite | undefined> {
    const [row] = await this.db.all<Row>(
      `SELECT name, version, hash, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, split, filters, label_schema_version, cases
       FROM suites WHERE name = $name AND ($version IS NULL OR version = $version) ORDER BY version DESC LIMIT 1`,
      { name, version: version ?? null },
    );
    return row ? suiteFromRow(row) : undefined;
  }

  /** A new suite version, with its dialogues in `suite_dialogues` (what says a dialogue is frozen). */
  async insert(suite: Suite): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run(`INSERT INTO suites VALUES ($name, $version, $hash, $created_at, $split, $filters, $lsv, $n, $cases)`, {
        name: suite.name,
        version: suite.version,
        hash: suite.hash,
        created_at: suite.created_at,
        split: suite.split,
        filters: JSON.stringify(suite.filters),
        lsv: suite.label_schema_version,
        n: suite.cases.length,
        cases: JSON.stringify(suite.cases),
      });
      await this.db.run(`INSERT INTO suite_dialogues SELECT DISTINCT $name, $version, unnest(from_json($ids, '["VARCHAR"]'))`, {
        name: suite.name,
        version: suite.version,
        ids: JSON.stringify(suite.cases.map((c) => c.dialogue_id)),
      });
    });
  }

  async list(): Promise<SuiteInfo[]> {
    const rows = await this.db.all<Row>(
      `SELECT name, version, hash, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, split, n_cases FROM suites ORDER BY name, version`,
    );
    return rows.map(suiteInfoFromRow);
  }

  /** Every dialogue that is in some frozen suite. */
  async dialogueIds(): Promise<Set<string>> {
    const rows = await this.db.all<{ id: string }>('SELECT DISTINCT dialogue_id AS id FROM suite_dialogues');
    return new Set(rows.map((r) => r.id));
  }

  /** The dialogue, history and language of every case of every suite (a dialogue may repeat across suites). */
  async caseTexts(): Promise<SuiteCaseText[]> {
    const rows = await this.db.all<{ cases: string }>('SELECT CAST(cases AS VARCHAR) AS cases FROM suites');
    const texts: SuiteCaseText[] = [];
    for (const row of rows) for (const raw of JSON.parse(row.cases) as unknown[]) texts.push(CaseText.parse(raw));
    return texts;
  }
}
