// Candidate new intents found by topic discovery, with their members; an admin names (or dismisses) them.
import type { Language } from '../domain/dialogue.ts';
import type { Topic, TopicStatus } from '../domain/insights.ts';
import type { Database } from './database.ts';

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const SELECT = `id, language, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, size, key_terms, examples, status, named_intent`;

function fromRow(row: Record<string, unknown>): Topic {
  return {
    id: String(row.id),
    language: row.language as Language,
    created_at: String(row.created_at),
    size: Number(row.size),
    key_terms: parse(row.key_terms) as Topic['key_terms'],
    examples: parse(row.examples) as Topic['examples'],
    status: row.status as TopicStatus,
    named_intent: (row.named_intent as string | null) ?? null,
  };
}

export type NewTopic = Pick<Topic, 'id' | 'language' | 'size' | 'key_terms' | 'examples'> & { members: string[] };

export class TopicRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the language's open candidates with these (named and dismissed topics stay). */
  async replaceCandidates(language: Language, topics: readonly NewTopic[]): Promise<Topic[]> {
    return this.db.transaction(async () => {
      await this.db.run(`DELETE FROM topics WHERE language = $l AND status = 'candidate'`, { l: language });
      const out: Topic[] = [];
      for (const t of topics) {
        const [row] = await this.db.all(
          `INSERT INTO topics (id, language, created_at, size, key_terms, examples, members, status, named_intent)
           VALUES ($id, $l, now(), $size, $terms, $examples, $members, 'candidate', NULL)
           ON CONFLICT (id) DO NOTHING RETURNING ${SELECT}`,
          { id: t.id, l: language, size: t.size, terms: JSON.stringify(t.key_terms), examples: JSON.stringify(t.examples), members: JSON.stringify(t.members) },
        );
        if (row) out.push(fromRow(row));
      }
      return out;
    });
  }

  async list(status?: TopicStatus): Promise<Topic[]> {
    const where = status === undefined ? '' : 'WHERE status = $s';
    return (await this.db.all(`SELECT ${SELECT} FROM topics ${where} ORDER BY created_at DESC, size DESC, id`, status === undefined ? {} : { s: status })).map(fromRow);
  }

  async get(id: string): Promise<Topic | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT} FROM topics WHERE id = $id`, { id });
    return row ? fromRow(row) : undefined;
  }

  async members(id: string): Promise<string[]> {
    const [row] = await this.db.all<{ members: unknown }>('SELECT members FROM topics WHERE id = $id', { id });
    return row ? (parse(row.members) as string[]) : [];
  }

  async setStatus(id: string, status: TopicStatus, namedIntent: string | null): Promise<Topic | undefined> {
    const [row] = await this.db.all(`UPDATE topics SET status = $s, named_intent = $n WHERE id = $id RETURNING ${SELECT}`, { id, s: status, n: namedIntent });
    return row ? fromRow(row) : undefined;
  }
}
