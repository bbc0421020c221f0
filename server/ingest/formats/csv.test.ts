import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.ts';
import { DialogueInput } from '../../domain/dialogue.ts';
import { csvReader, parseColumnMap, resolveColumns } from './csv.ts';
import { makeTempDir, readAll } from '../../test-support/format-readers.ts';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

let n = 0;
const read = (content: string | Buffer, columnMap?: Record<string, string>, ext = 'csv') =>
  readAll(csvReader, { path: tmp.file(`f-${n++}.${ext}`, content), ...(columnMap ? { columnMap } : {}) });

describe('parseColumnMap', () => {
  it('parses field=column pairs, with id as an alias of dialogue_id', () => {
    expect(parseColumnMap('dialogue_id=ticket, role=speaker,text=body')).toEqual({ dialogue_id: 'ticket', role: 'speaker', text: 'body' });
    expect(parseColumnMap('id=Ticket No,text=Message Body')).toEqual({ dialogue_id: 'Ticket No', text: 'Message Body' });
  });

  it('throws a usage error that says how to write it', () => {
    const usage = (spec: string) => {
      try {
        parseColumnMap(spec);
      } catch (error) {
        expect(AppError.isInstance(error) && error.code).toBe('usage');
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(usage('role')).toMatch(/"role" has no "=": expected field=column\[,field=column...\] with fields dialogue_id, role, text/);
    expect(usage('speaker=role')).toMatch(/unknown field "speaker"/);
    expect(usage('role=')).toMatch(/no column given for "role"/);
    expect(usage('role=a,role=b')).toMatch(/"role" is mapped twice/);
    expect(usage(' , ')).toMatch(/--map is empty/);
  });
});

describe('resolveColumns', () => {
  it('guesses common header names and says what is missing', () => {
    expect(resolveColumns(['Conversation ID', 'Speaker', 'Message', 'Created-At'])).toEqual({
      shape: 'turns',
      columns: { dialogue_id: 0, role: 1, text: 2, at: 3 },
    });
    expect(resolveColumns(['question', 'answer', 'intent'])).toEqual({ shape: 'exchanges', columns: { customer_text: 0, agent_text: 1, intent: 2 } });
    expect(() => resolveColumns(['who', 'what'])).toThrow(/no column for dialogue_id, role, text; map columns with --map.*\(header: who, what\)/);
    expect(() => resolveColumns(['a', 'b'], { role: 'speaker' })).toThrow(/role=speaker, but the header has no column "speaker"/);
    expect(() => resolveColumns(['q', 'r', 'a'], { customer_text: 'q', role: 'r' })).toThrow(/mixes the per-turn/);
  });
});

describe('csvReader, one row per turn', () => {
  it('groups contiguous rows into dialogues, with guessed columns and per-dialogue fields', async () => {
    const csv = [
      'conversation_id,speaker,message,created_at,channel,user_id,lang,intent,resolved,csat',
      't-1,用户,我的订单还没到,2026-03-02 09:14:00+08:00,app,c-88,zh-CN,delivery,,',
      't-1,机器人,"请提供订单号,谢谢",2026-03-02T09:14:05+08:00,,,,,,',
      't-1,Customer,A1,2026-03-02T09:15:00+08:00,,,,,yes,5',
      't-2,user,"My screen\r\nbroke",2026-03-03T10:00:00Z,web,c-9,en,,,',
      't-2,staff,Sorry to hear that.,2026-03-03T10:01:00Z,,,,,false,',
    ].join('\r\n');
    const { dialogues, bad } = await read(csv);
    expect(bad).toEqual([]);
    expect(dialogues).toEqual([
      {
        line: 2,
        id: 't-1',
        channel: 'app',
        customer_id: 'c-88',
        language: 'zh',
        started_at: '2026-03-02T09:14:00+08:00',
        metadata: { intent: 'delivery' },
        outcome: { resolved: true, csat: 5 },
        turns: [
          { role: 'customer', text: '我的订单还没到', at: '2026-03-02T09:14:00+08:00' },
          { role: 'agent', agent_kind: 'bot', text: '请提供订单号,谢谢', at: '2026-03-02T09:14:05+08:00' },
          { role: 'customer', text: 'A1', at: '2026-03-02T09:15:00+08:00' },
        ],
      },
      {
        line: 5,
        id: 't-2',
        channel: 'web',
        customer_id: 'c-9',
        language: 'en',
        started_at: '2026-03-03T10:00:00Z',
        outcome: { resolved: false },
        turns: [
          { role: 'customer', text: 'My screen\nbroke', at: '2026-03-03T10:00:00Z' },
          { role: 'agent', agent_kind: 'human', text: 'Sorry to hear that.', at: '2026-03-03T10:01:00Z' },
        ],
      },
    ]);
    for (const d of dialogues) expect(DialogueInput.safeParse(d).success).toBe(true);
  });

  it('uses the column map, guessing the fields it does not name', async () => {
    const csv = 'Ticket No,Who,Body,Kind\nA,client,hello,\nA,agent,hi there,bot\n';
    const { dialogues } = await read(csv, parseColumnMap('id=Ticket No,role=Who,text=Body,agent_kind=Kind'));
    expect(dialogues.map((d) => [d.id, d.turns])).toEqual([
      [
        'A',
        [
          { role: 'customer', text: 'hello' },
          { role: 'agent', agent_kind: 'bot', text: 'hi there' },
        ],
      ],
    ]);
    const partial = await read('session_id,Who,text\nS,user,yo\n', { role: 'Who' });
    expect(partial.dialogues.map((d) => d.id)).toEqual(['S']);
  });

  it('reports a bad row at its line and leaves its dialogue out, whole', async () => {
    const csv = [
      'id,role,text',
      'a,customer,hi', // 2
      'a,wizard,abracadabra', // 3: unknown role
      'a,agent,hello', // 4
      'a,agent,', // 5: empty text
      'b,customer,fine', // 6
      ',customer,no id', // 7
      'c,customer,"ok"', // 8
    ].join('\n');
    const { dialogues, bad } = await read(csv);
    expect(dialogues.map((d) => [d.id, d.line])).toEqual([
      ['b', 6],
      ['c', 8],
    ]);
    expect(bad.map((b) => [b.line, b.reason, b.raw])).toEqual([
      [3, expect.stringMatching(/^unknown role "wizard" \(expected customer, agent, tool, system or an alias .*\(and 1 more bad rows\); dialogue "a" \(from line 2\) not imported$/), 'a,wizard,abracadabra'],
      [7, 'empty dialogue id', ',customer,no id'],
    ]);
  });

  it('leaves out a dialogue whose middle row is malformed CSV', async () => {
    const csv = ['id,role,text', 'a,customer,hi', 'a,agent,"bad"quote', 'a,customer,bye', 'b,customer,"x"y', 'c,customer,ok'].join('\n');
    const { dialogues, bad } = await read(csv);
    expect(dialogues.map((d) => d.id)).toEqual(['c']);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [3, expect.stringMatching(/^malformed CSV: Invalid Closing Quote/)],
      [4, 'a row just before line 4 could not be read; dialogue "a" (from line 2) not imported'],
      [5, expect.stringMatching(/^malformed CSV/)],
    ]);
  });

  it('reports a dialogue whose rows are not contiguous', async () => {
    const csv = ['id,role,text', 'a,customer,hi', 'b,customer,yo', 'a,agent,hello', 'b,agent,hey'].join('\n');
    const { dialogues, bad } = await read(csv);
    expect(dialogues.map((d) => [d.id, d.line, d.turns.length])).toEqual([
      ['a', 2, 1],
      ['b', 3, 1],
    ]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [4, 'dialogue "a" comes back at line 4 after other dialogues (its rows start at line 2): the rows of a dialogue must be contiguous; sort the file by dialogue id'],
      [5, expect.stringMatching(/^dialogue "b" comes back at line 5/)],
    ]);
  });

  it('reads tab-separated .tsv files and reports invalid UTF-8 and bad outcome values', async () => {
    const tsv = Buffer.concat([
      Buffer.from('dialogue_id\trole\ttext\tescalated\nx\tuser\thi\tmaybe\ny\tuser\tcaf'),
      Buffer.from([0xe9]),
      Buffer.from('\t\nz\tuser\tok\tno\n'),
    ]);
    const { dialogues, bad } = await read(tsv, undefined, 'tsv');
    expect(dialogues.map((d) => [d.id, d.outcome])).toEqual([['z', { escalated: false }]]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([
      [2, 'escalated "maybe" is not a boolean (true/false, yes/no, 1/0); dialogue "x" (from line 2) not imported'],
      [3, 'invalid UTF-8'],
    ]);
  });

  it('stops with a usage error when the header cannot be mapped', async () => {
    await expect(read('foo,bar\n1,2\n')).rejects.toThrow(/CSV: no column for dialogue_id, role, text/);
  });
});

describe('csvReader, one row per exchange', () => {
  it('makes each row a dialogue with a content-hash id when there is no id column', async () => {
    const { dialogues, bad } = await read('question,answer,intent\nWhere is my parcel?,On its way.,track\nRefund?,,refund\n,,\n');
    expect(dialogues).toEqual([
      {
        line: 2,
        id: expect.stringMatching(/^csv-[0-9a-f]{16}$/),
        metadata: { intent: 'track' },
        turns: [
          { role: 'customer', text: 'Where is my parcel?' },
          { role: 'agent', text: 'On its way.' },
        ],
      },
      { line: 3, id: expect.stringMatching(/^csv-/), metadata: { intent: 'refund' }, turns: [{ role: 'customer', text: 'Refund?' }] },
    ]);
    expect(bad.map((b) => [b.line, b.reason])).toEqual([[4, expect.stringMatching(/^both customer_text and agent_text are empty/)]]);
  });

  it('groups exchanges by a dialogue id column', async () => {
    const csv = 'ticket_id,customer_text,agent_text\nT1,hi,hello\nT1,bye,\nT2,,proactive note\n';
    const { dialogues } = await read(csv);
    expect(dialogues.map((d) => [d.id, d.turns.map((t) => `${t.role}:${t.text}`)])).toEqual([
      ['T1', ['customer:hi', 'agent:hello', 'customer:bye']],
      ['T2', ['agent:proactive note']],
    ]);
  });
});

describe('csvReader.sniff', () => {
  it('takes .csv/.tsv files and headers it can map', () => {
    expect(csvReader.sniff('a,b\n', 'x.csv')).toBe(true);
    expect(csvReader.sniff('{"id":"a"}\n', 'x.csv')).toBe(false);
    expect(csvReader.sniff('conversation_id,speaker,message\n', 'export.txt')).toBe(true);
    expect(csvReader.sniff('{"id":"a","turns":[]}\n', 'x.jsonl')).toBe(false);
  });
});
