// Columnar buffers appended to a DuckDB table a DataChunk at a time: one native call per column
// per 2,048 rows instead of one per value, which is what makes ingest bulk.
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

const CHUNK_ROWS = 2048;

export class BulkAppender {
  private readonly columns: DuckDBValue[][];
  private rows = 0;

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly types: readonly DuckDBType[],
  ) {
    this.columns = types.map(() => []);
  }

  /** `catalog`: the attached database holding `table`, when it is not the connection's default. */
  static async create(connection: DuckDBConnection, table: string, types: readonly DuckDBType[], catalog?: string): Promise<BulkAppender> {
    return new BulkAppender(await connection.createAppender(table, catalog === undefined ? null : 'main', catalog ?? null), types);
  }

  /** Appends one row; `values` must follow the table's column order. */
  push(...values: DuckDBValue[]): void {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]!);
    if (++this.rows === CHUNK_ROWS) this.writeChunk();
  }

  /** Writes what is buffered and makes it visible to queries on the same connection. */
  flush(): void {
    if (this.rows > 0) this.writeChunk();
    this.appender.flushSync();
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }

  private writeChunk(): void {
    const chunk = DuckDBDataChunk.create(this.types, this.rows);
    for (let i = 0; i < this.columns.length; i++) {
      chunk.setColumnValues(i, this.columns[i]!);
      this.columns[i] = [];
    }
    this.appender.appendDataChunk(chunk);
    this.rows = 0;
  }
}
