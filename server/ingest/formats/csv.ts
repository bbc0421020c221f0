// Generic CSV logs, mapped to canonical fields by `columnMap` (canonical field -> column name;
// `id` is accepted for dialogue_id); fields the map does not name are guessed from common header
// names (conversation_id, speaker, message, created_at, ...). Two shapes:
// - one row per turn: dialogue_id, role, text (+ at, channel, customer_id, language, intent,
//   agent_kind, name, resolved, escalated, csat). Consecutive rows with the same dialogue_id form
//   one dialogue: the rows of a dialogue must be contiguous (sort by dialogue id, then time). A
//   dialogue id that comes back after other dialogues is reported as a bad item (its first block
//   has already gone out as a dialogue; repeats are recognised among the last RECENT_IDS
//   dialogues, an older one becomes a second record with the same id, which the pipeline dedupes).
// - one row per exchange: customer_text and/or agent_text. With a dialogue_id column, contiguous
//   rows with the same id form one dialogue; without one, each row is a dialogue whose id is
//   `csv-` + a hash of its texts.
// A dialogue is imported whole or not at all: when one of its rows is bad (unknown role, empty
// text, malformed CSV in the middle of it), the dialogue is one bad item at that row's line.
// Per dialogue, channel/customer_id/language/intent come from its first row that has them and
// outcome fields from its last; started_at is the first turn's time. `at` must be ISO-8601 with an
// offset (`2026-03-02 09:14:00+08:00` is accepted and gets its `T`). `.tsv` files are tab-separated.
import type { DialogueInput, Turn } from '../../domain/dialogue.ts';
import { usageError } from '../../domain/errors.ts';
import { readCsvRecords } from './csv-records.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { BATCH_SIZE, badItem, firstLine, hasExtension, normalizeNewlines, stableId } from './reader-helpers.ts';

export const CSV_FIELDS = [
  'dialogue_id',
  'role',
  'text',
  'at',
  'channel',
  'customer_id',
  'language',
  'intent',
  'agent_kind',
  'name',
  'customer_text',
  'agent_text',
  'resolved',
  'escalated',
  'csat',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
export type ColumnMap = Partial<Record<CsvField, string>>;

const FIELD_ALIASES: Readonly<Record<string, CsvField>> = { id: 'dialogue_id' };

/** Header names tried, in order, when no map is given (compared lower-cased, `-`/space as `_`). */
const GUESSES: Readonly<Partial<Record<CsvField, readonly string[]>>> = {
  dialogue_id: ['dialogue_id', 'conversation_id', 'ticket_id', 'session_id', 'chat_id', 'thread_id', 'dialog_id', 'id'],
  role: ['role', 'speaker', 'sender', 'author', 'from'],
  text: ['text', 'message', 'content', 'utterance', 'body'],
  at: ['at', 'timestamp', 'created_at', 'time', 'sent_at', 'datetime'],
  channel: ['channel'],
  customer_id: ['customer_id', 'user_id', 'client_id'],
  language: ['language', 'lang', 'locale'],
  intent: ['intent'],
  agent_kind: ['agent_kind'],
  customer_text: ['customer_text', 'customer_message', 'question', 'query'],
  agent_text: ['agent_text', 'agent_message', 'answer', 'response', 'reply'],
  resolved: ['resolved'],
  escalated: ['escalated'],
  csat: ['csat'],
};

type RoleInfo = Pick<Turn, 'role' | 'agent_kind'>;
const ROLES: Readonly<Record<string, RoleInfo>> = {
  customer: { role: 'customer' },
  user: { role: 'customer' },
  client: { role: 'customer' },
  buyer: { role: 'customer' },
  visitor: { role: 'customer' },
  caller: { role: 'customer' },
  客户: { role: 'customer' },
  用户: { role: 'customer' },
  顾客: { role: 'customer' },
  买家: { role: 'customer' },
  访客: { role: 'customer' },
  agent: { role: 'agent' },
  support: { role: 'agent' },
  客服: { role: 'agent' },
  human_agent: { role: 'agent', agent_kind: 'human' },
  staff: { role: 'agent', agent_kind: 'human' },
  operator: { role: 'agent', agent_kind: 'human' },
  representative: { role: 'agent', agent_kind: 'human' },
  rep: { role: 'agent', agent_kind: 'human' },
  人工: { role: 'agent', agent_kind: 'human' },
  人工客服: { role: 'agent', agent_kind: 'human' },
  坐席: { role: 'agent', agent_kind: 'human' },
  bot: { role: 'agent', agent_kind: 'bot' },
  assistant: { role: 'agent', agent_kind: 'bot' },
  chatbot: { role: 'agent', agent_kind: 'bot' },
  virtual_assistant: { role: 'agent', agent_kind: 'bot' },
  机器人: { role: 'agent', agent_kind: 'bot' },
  智能客服: { role: 'agent', agent_kind: 'bot' },
  tool: { role: 'tool' },
  function: { role: 'tool' },
  system: { role: 'system' },
  系统: { role: 'system' },
};
const AGENT_KINDS: Readonly<Record<string, 'human' | 'bot'>> = { human: 'human', bot: 'bot', 人工: 'human', 机器人: 'bot' };
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false, '1': true, '0': false, y: true, n: false };

/** Dialogue ids remembered to catch a dialogue whose rows are not contiguous. */
export const RECENT_IDS = 100_000;

const normalizeHeader = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Parses `--map field=column,field=column`; throws a usage error naming the valid fields. */
export function parseColumnMap(spec: string): ColumnMap {
  const usage = `expected field=column[,field=column...] with fields ${CSV_FIELDS.join(', ')}`;
  const map: ColumnMap = {};
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) throw usageError(`--map: "${part.trim()}" has no "=": ${usage}`);
    const name = part.slice(0, eq).trim();
    const column = part.slice(eq + 1).trim();
    const field = canonicalField(name);
    if (!field) throw usageError(`--map: unknown field "${name}": ${usage}`);
    if (column === '') throw usageError(`--map: no column given for "${name}": ${usage}`);
    if (map[field] !== undefined) throw usageError(`--map: "${name}" is mapped twice`);
    map[field] = column;
  }
  if (Object.keys(map).length === 0) throw usageError(`--map is empty: ${usage}`);
  return map;
}

function canonicalField(name: string): CsvField | undefined {
  const lower = name.toLowerCase();
  return (CSV_FIELDS as readonly string[]).includes(lower) ? (lower as CsvField) : FIELD_ALIASES[lower];
}

type Columns = Partial<Record<CsvField, number>>;
type Shape = 'turns' | 'exchanges';

/**
 * Column index per field: the map's columns, and for fields it does not name, guesses from the
 * header. Throws a usage error when the file cannot be read as either shape.
 */
export function resolveColumns(header: readonly string[], columnMap?: Readonly<Record<string, string>>): { columns: Columns; shape: Shape } {
  const mapped: Columns = {};
  const exact = header.map((h) => h.trim());
  const names = header.map(normalizeHeader);
  for (const [name, column] of Object.entries(columnMap ?? {})) {
    const field = canonicalField(name);
    if (!field) throw usageError(`column map: unknown field "${name}" (fields: ${CSV_FIELDS.join(', ')})`);
    let index = exact.indexOf(column.trim());
    if (index === -1) index = names.indexOf(normalizeHeader(column));
    if (index === -1) throw usageError(`column map: ${field}=${column}, but the header has no column "${column}" (columns: ${header.join(', ')})`);
    mapped[field] = index;
  }
  const columns: Columns = { ...mapped };
  const taken = new Set(Object.values(mapped));
  for (const field of CSV_FIELDS) {
    if (columns[field] !== undefined) continue;
    for (const guess of GUESSES[field] ?? []) {
      const index = names.indexOf(guess);
      if (index !== -1 && !taken.has(index)) {
        columns[field] = index;
        taken.add(index);
        break;
      }
    }
  }
  const mapsExchange = mapped.customer_text !== undefined || mapped.agent_text !== undefined;
  if (mapsExchange && (mapped.role !== undefined || mapped.text !== undefined)) {
    throw usageError('column map mixes the per-turn (role, text) and per-exchange (customer_text, agent_text) shapes');
  }
  const missing = (['dialogue_id', 'role', 'text'] as const).filter((f) => columns[f] === undefined);
  const hasExchange = columns.customer_text !== undefined || columns.agent_text !== undefined;
  if (mapsExchange || (missing.length > 0 && hasExchange)) {
    delete columns.role;
    delete columns.text;
    return { columns, shape: 'exchanges' };
  }
  if (missing.length > 0) {
    throw usageError(
      `CSV: no column for ${missing.join(', ')}; map columns with --map, e.g. dialogue_id=ticket,role=speaker,text=body ` +
        `or customer_text=question,agent_text=answer (header: ${header.join(', ')})`,
    );
  }
  delete columns.customer_text;
  delete columns.agent_text;
  return { columns, shape: 'turns' };
}

/** The rows of one dialogue being assembled. */
interface Group {
  id: string;
  line: number;
  dialogue: DialogueInput & { turns: Turn[] };
  outcome: NonNullable<DialogueInput['outcome']>;
  /** First bad row of this dialogue, if any. */
  bad?: { line: number; reason: string; raw: string };
  badRows: number;
}

export function createCsvAssembler(columns: Columns, shape: Shape) {
  let current: Group | undefined;
  let taintPending = false; // a malformed record came right after a row of `current`
  // Without a dialogue id column (exchange shape) every row is its own dialogue, id from its texts.
  const oneRowEach = columns.dialogue_id === undefined;
  const recent = new Map<string, number>(); // closed dialogue id -> its first line

  const cell = (fields: readonly string[], field: CsvField): string => {
    const index = columns[field];
    return index === undefined ? '' : (fields[index] ?? '').trim();
  };

  const close = (): SourceItem | undefined => {
    const group = current;
    current = undefined;
    taintPending = false;
    if (!group) return undefined;
    const seenAt = oneRowEach ? undefined : recent.get(group.id);
    if (seenAt === undefined && !oneRowEach) {
      recent.set(group.id, group.line);
      if (recent.size > RECENT_IDS) recent.delete(recent.keys().next().value!);
    }
    if (seenAt !== undefined) {
      return badItem(
        group.line,
        `dialogue "${group.id}" comes back at line ${group.line} after other dialogues (its rows start at line ${seenAt}): the rows of a dialogue must be contiguous; sort the file by dialogue id`,
        group.bad?.raw ?? '',
      );
    }
    if (group.bad) {
      const more = group.badRows > 1 ? ` (and ${group.badRows - 1} more bad rows)` : '';
      return badItem(group.bad.line, `${group.bad.reason}${more}; dialogue "${group.id}" (from line ${group.line}) not imported`, group.bad.raw);
    }
    if (group.dialogue.turns.length === 0) return badItem(group.line, `dialogue "${group.id}" has no turn with text`, '');
    if (Object.keys(group.outcome).length > 0) group.dialogue.outcome = group.outcome;
    const started = group.dialogue.turns[0]?.at;
    if (started) group.dialogue.started_at = started;
    return { kind: 'dialogue', line: group.line, value: group.dialogue };
  };

  const markBad = (group: Group, line: number, reason: string, raw: string) => {
    group.badRows++;
    group.bad ??= { line, reason, raw };
  };

  /** Feeds one record; returns the items completed by it (a finished dialogue, a bad record). */
  function add(line: number, fields: readonly string[], raw: string): SourceItem[] {
    const out: SourceItem[] = [];
    const customerText = normalizeNewlines(cell(fields, 'customer_text'));
    const agentText = normalizeNewlines(cell(fields, 'agent_text'));
    const id = oneRowEach ? stableId('csv', customerText, agentText) : cell(fields, 'dialogue_id');
    if (id === '') {
      const done = close();
      if (done) out.push(done);
      out.push(badItem(line, 'empty dialogue id', raw));
      return out;
    }
    if (current && (oneRowEach || current.id !== id)) {
      const done = close();
      if (done) out.push(done);
    }
    if (!current) {
      current = { id, line, dialogue: { id, turns: [] }, outcome: {}, badRows: 0 };
    } else if (taintPending) {
      markBad(current, line, `a row just before line ${line} could not be read`, raw);
    }
    taintPending = false;
    const group = current;
    const d = group.dialogue;

    const channel = cell(fields, 'channel');
    if (channel && !d.channel) d.channel = channel;
    const customerId = cell(fields, 'customer_id');
    if (customerId && !d.customer_id) d.customer_id = customerId;
    const language = cell(fields, 'language');
    if (language && !d.language) d.language = normalizeLanguage(language) as DialogueInput['language'];
    const intent = cell(fields, 'intent');
    if (intent && d.metadata?.intent === undefined) d.metadata = { ...d.metadata, intent };
    for (const field of ['resolved', 'escalated'] as const) {
      const value = cell(fields, field);
      if (value === '') continue;
      const parsed = BOOLEANS[value.toLowerCase()];
      if (parsed === undefined) markBad(group, line, `${field} "${value}" is not a boolean (true/false, yes/no, 1/0)`, raw);
      else group.outcome[field] = parsed;
    }
    const csat = cell(fields, 'csat');
    if (csat !== '') {
      if (/^\d+$/.test(csat)) group.outcome.csat = Number(csat);
      else markBad(group, line, `csat "${csat}" is not a whole number`, raw);
    }
    const at = normalizeTimestamp(cell(fields, 'at'));

    if (shape === 'exchanges') {
      if (customerText === '' && agentText === '') markBad(group, line, 'both customer_text and agent_text are empty', raw);
      const kind = agentKind(cell(fields, 'agent_kind'));
      if (customerText !== '') d.turns.push(withAt({ role: 'customer', text: customerText }, at));
      if (agentText !== '') d.turns.push(withAt(kind ? { role: 'agent', agent_kind: kind, text: agentText } : { role: 'agent', text: agentText }, at));
      return out;
    }

    const roleValue = cell(fields, 'role');
    const role = ROLES[normalizeHeader(roleValue)];
    if (!role) {
      const known = 'customer, agent, tool, system or an alias such as user, assistant, bot, staff, 客户, 客服, 机器人';
      markBad(group, line, roleValue === '' ? 'empty role' : `unknown role "${roleValue}" (expected ${known})`, raw);
      return out;
    }
    const text = normalizeNewlines(cell(fields, 'text'));
    if (text === '') {
      markBad(group, line, 'empty text', raw);
      return out;
    }
    const turn: Turn = { role: role.role, text };
    if (role.role === 'agent') {
      const kind = agentKind(cell(fields, 'agent_kind')) ?? role.agent_kind;
      if (kind) turn.agent_kind = kind;
    }
    const name = cell(fields, 'name');
    if (name && role.role === 'tool') turn.name = name;
    d.turns.push(withAt(turn, at));
    return out;
  }

  /** A record csv-parse could not read: it belongs to the open dialogue if the next row does. */
  function malformed(): void {
    if (current) taintPending = true;
  }

  function finish(): SourceItem[] {
    const done = close();
    return done ? [done] : [];
  }

  return { add, malformed, finish };
}

// A dialogue comes out when its last row has been read, after bad records read meanwhile.
const byLine = (a: SourceItem, b: SourceItem) => a.line - b.line;

function withAt(turn: Turn, at: string): Turn {
  if (at !== '') turn.at = at;
  return turn;
}

function agentKind(value: string): 'human' | 'bot' | undefined {
  return value === '' ? undefined : AGENT_KINDS[value.toLowerCase()];
}

function normalizeLanguage(value: string): string {
  const lower = value.toLowerCase();
  if (lower.startsWith('zh')) return 'zh';
  if (lower.startsWith('en')) return 'en';
  return lower;
}

function normalizeTimestamp(value: string): string {
  return /^\d{4}-\d\d-\d\d \d/.test(value) ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
}

export const csvReader: FormatReader = {
  id: 'csv',
  sniff(head, path) {
    if (hasExtension(path, 'csv', 'tsv')) return !/^\s*[[{]/.test(head);
    const header = firstLine(head).text.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    try {
      resolveColumns(header);
      return true;
    } catch {
      return false;
    }
  },
  async *read({ path, columnMap }) {
    const delimiter = hasExtension(path, 'tsv') ? '\t' : ',';
    let assembler: ReturnType<typeof createCsvAssembler> | undefined;
    let items: SourceItem[] = [];
    for await (const records of readCsvRecords(path, { delimiter })) {
      for (const record of records) {
        if ('error' in record) {
          assembler?.malformed();
          items.push(badItem(record.line, record.error, record.raw));
        } else if (!assembler) {
          const { columns, shape } = resolveColumns(record.fields, columnMap);
          assembler = createCsvAssembler(columns, shape);
        } else {
          for (const item of assembler.add(record.line, record.fields, record.raw)) items.push(item);
        }
      }
      if (items.length >= BATCH_SIZE) {
        yield items.sort(byLine);
        items = [];
      }
    }
    if (assembler) items.push(...assembler.finish());
    if (items.length > 0) yield items.sort(byLine);
  },
};
