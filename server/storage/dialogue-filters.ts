// The dialogue filters shared by the labeling queue, suites and fine-tuning sets, as SQL over the
// dialogues table (aliased `d`) with named parameters.

export interface DialogueFilters {
  language?: string;
  channel?: string;
  intent?: string;
  source?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  /** YYYY-MM-DD, inclusive. */
  to?: string;
}

export function dialogueFilterSql(filters: DialogueFilters): { where: string[]; params: Record<string, string> } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  for (const column of ['language', 'channel', 'intent', 'source'] as const) {
    const value = filters[column];
    if (value) (where.push(`d.${column} = $${column}`), (params[column] = value));
  }
  if (filters.from) (where.push('d.started_ts >= CAST($from AS DATE)'), (params.from = filters.from));
  if (filters.to) (where.push('d.started_ts < CAST($to AS DATE) + INTERVAL 1 DAY'), (params.to = filters.to));
  return { where, params };
}
