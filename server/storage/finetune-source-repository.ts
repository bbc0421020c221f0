// The labeled dialogues a fine-tuning set is built from, read set-based: DuckDB aggregates each
// dialogue's turns, its customer's record and its labels and writes the whole row as one JSON text,
// so the reader handles one string per dialogue instead of a tree of row objects (the parsing and the
// gold-label decision happen in the build's worker threads, through the same converters as every
// other read).
import { LABEL_FIELD_COLUMNS } from './converters.ts';
import type { Database } from './database.ts';
import { dialogueFilterSql, type DialogueFilters } from './dialogue-filters.ts';

/**
 * One dialogue as JSON: `label_rows` (its submitted labels, as labelFromRow takes them, by reviewer)
 * and `gold_row` (its stored gold label as goldLabelFromRow takes it, or null); for a full document
 * also the dialogues row, `turn_rows` as turnFromRow takes them and `customer` (with
 * `purchase_rows`) as customerFromRow takes it, or null.
 */
export interface SourceDocument {
  id: string;
  json: string;
}

const JSON_COLUMNS = new Set(['tone_tags', 'required_facts', 'turn_flags']);
const FIELDS = LABEL_FIELD_COLUMNS.map((c) => `'${c}': ${JSON_COLUMNS.has(c) ? `CAST(${c} AS VARCHAR)` : c}`).join(', ');
const ISO = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;

/** The submitted labels and the stored gold label of every `wanted` dialogue (as LabelRepository and GoldLabelRepository read them). */
const LABELS = `
  l AS (SELECT dialogue_id, list({'dialogue_id': dialogue_id, 'reviewer': reviewer, 'status': status, 'version': version, 'schema_version': schema_version,
                                  ${FIELDS}, 'created_at': ${ISO('created_at')}, 'updated_at': ${ISO('updated_at')}} ORDER BY reviewer) AS label_rows
        FROM labels WHERE status = 'submitted' AND dialogue_id IN (SELECT id FROM wanted) GROUP BY dialogue_id),
  g AS (SELECT dialogue_id, {'dialogue_id': dialogue_id, 'decided_by': decided_by, 'source': source, 'schema_version': schema_version,
                             ${FIELDS}, 'decided_at': ${ISO('decided_at')}} AS gold_row
        FROM gold_labels WHERE dialogue_id IN (SELECT id FROM wanted))`;

/** The record of every customer of a `wanted` dialogue, in the shape CustomerRepository reads it. */
const CUSTOMERS = `
  SELECT c.id, {'id': c.id, 'name': c.name, 'tier': c.tier, 'language': c.language, 'since': CAST(c.since AS VARCHAR),
                'purchase_rows': p.purchase_rows} AS customer
  FROM customers c LEFT JOIN (
    SELECT customer_id, list({'product': product, 'category': category, 'purchased_at': CAST(purchased_at AS VARCHAR),
                              'warranty_months': warranty_months, 'order_id': order_id, 'price': price} ORDER BY seq) AS purchase_rows
    FROM purchases WHERE customer_id IN (SELECT customer_id FROM wanted) GROUP BY customer_id) p ON p.customer_id = c.id
  WHERE c.id IN (SELECT customer_id FROM wanted)`;

function documentsSql(where: readonly string[]): string {
  return `WITH wanted AS (SELECT d.* FROM dialogues d WHERE ${where.join(' AND ')}),
            t AS (SELECT dialogue_id, list({'role': role, 'text': text, 'sent_at': sent_at, 'agent_kind': agent_kind, 'name': name} ORDER BY seq) AS turn_rows
                  FROM turns WHERE dialogue_id IN (SELECT id FROM wanted) GROUP BY dialogue_id),
            c AS (${CUSTOMERS}),
            ${LABELS}
       SELECT d.id, CAST(to_json({'id': d.id, 'channel': d.channel, 'customer_id': d.customer_id, 'language': d.language, 'started_at': d.started_at,
                                  'resolved': d.resolved, 'escalated': d.escalated, 'csat': d.csat, 'metadata': CAST(d.metadata AS VARCHAR),
                                  'source': d.source, 'content_hash': d.content_hash, 'turn_rows': t.turn_rows, 'customer': c.customer,
                                  'label_rows': l.label_rows, 'gold_row': g.gold_row}) AS VARCHAR) AS json
       FROM wanted d JOIN t ON t.dialogue_id = d.id LEFT JOIN c ON c.id = d.customer_id
            LEFT JOIN l ON l.dialogue_id = d.id LEFT JOIN g ON g.dialogue_id = d.id`;
}

export class FinetuneSourceRepository {
  constructor(private readonly db: Database) {}

  /** Every dialogue that has a submitted label or a stored gold label (whether or not it is stored itself). */
  async labeledIds(): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(`SELECT dialogue_id AS id FROM labels WHERE status = 'submitted' UNION SELECT dialogue_id FROM gold_labels`);
    return rows.map((r) => r.id);
  }

  /** Labels only (`label_rows`, `gold_row`) of these dialogues, streamed in pages in no fixed order. */
  async *labelDocuments(ids: readonly string[], slice = 50_000): AsyncIterable<SourceDocument[]> {
    for (let i = 0; i < ids.length; i += slice) {
      const sql = `WITH wanted AS (SELECT unnest(from_json($ids, '["VARCHAR"]')) AS id), ${LABELS}
                   SELECT w.id, CAST(to_json({'label_rows': l.label_rows, 'gold_row': g.gold_row}) AS VARCHAR) AS json
                   FROM wanted w LEFT JOIN l ON l.dialogue_id = w.id LEFT JOIN g ON g.dialogue_id = w.id`;
      yield* this.pages(sql, { ids: JSON.stringify(ids.slice(i, i + slice)) });
    }
  }

  /**
   * The dialogues among `ids` under the filters that have turns, streamed a page at a time in no
   * fixed order. Read `slice` ids at a time: grouping turns is a blocking step, and one slice at a
   * time keeps its memory flat in the number of dialogues.
   */
  async *documents(filters: DialogueFilters, ids: readonly string[], slice = 10_000): AsyncIterable<SourceDocument[]> {
    for (let i = 0; i < ids.length; i += slice) yield* this.readSlice(filters, ids.slice(i, i + slice));
  }

  private async *readSlice(filters: DialogueFilters, ids: readonly string[]): AsyncIterable<SourceDocument[]> {
    const { where, params } = dialogueFilterSql(filters);
    where.push(`d.id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`);
    yield* this.pages(documentsSql(where), { ...params, ids: JSON.stringify(ids) });
  }

  /**
   * Streams on a connection of its own: a statement run on the shared connection while a build waits
   * between pages would end this stream early.
   */
  private async *pages(sql: string, params: Record<string, string>): AsyncIterable<SourceDocument[]> {
    const connection = await this.db.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'"); // label timestamps as every other read gives them
      const result = await connection.stream(sql, params);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return;
        const idColumn = chunk.getColumnVector(0);
        const jsonColumn = chunk.getColumnVector(1);
        const page: SourceDocument[] = new Array(chunk.rowCount);
        for (let i = 0; i < chunk.rowCount; i++) page[i] = { id: idColumn.getItem(i) as string, json: jsonColumn.getItem(i) as string };
        yield page;
      }
    } finally {
      connection.closeSync();
    }
  }

  /**
   * DuckDB's own COPY of the same documents to a JSONL file (one statement, no slicing): the
   * reference the fine-tuning benchmark measures a build against.
   */
  async copyDocuments(filters: DialogueFilters, ids: readonly string[], path: string): Promise<void> {
    const { where, params } = dialogueFilterSql(filters);
    where.push(`d.id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`);
    const sql = documentsSql(where).replace('SELECT d.id, CAST(to_json(', 'SELECT (').replace('}) AS VARCHAR) AS json', '}) AS doc');
    await this.db.run(`COPY (SELECT unnest(doc) FROM (${sql})) TO '${path.replaceAll("'", "''")}' (FORMAT JSON)`, { ...params, ids: JSON.stringify(ids) });
  }
}
