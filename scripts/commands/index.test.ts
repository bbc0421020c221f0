// The command registry: names and ids are unique, every flag and argument is a field of the command's
// schema (and the other way round), and the defaults the flags declare parse.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { optionKey, parseArgs } from '../command.ts';
import { COMMANDS, GROUPS } from './index.ts';

/** A valid value for a required field that has no default. */
const SAMPLES: Record<string, unknown> = { role: 'admin', scorer: 'fcr', what: 'dialogues', paths: ['a.jsonl'], candidate: ['c.yaml'] };

describe('the command registry', () => {
  it('holds unique names and ids, and every group word has a description', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(names.length);
    for (const c of COMMANDS) if (c.name.includes(' ')) expect(GROUPS[c.name.split(' ')[0]!], c.name).toBeTruthy();
  });

  it('has exactly the schema fields as flags and arguments', () => {
    for (const command of COMMANDS) {
      const shape = Object.keys((command.args as z.ZodObject).shape);
      const declared = [...(command.arguments ?? []).map((a) => a.key), ...(command.options ?? []).map(optionKey)];
      expect({ command: command.name, fields: declared.sort() }).toEqual({ command: command.name, fields: shape.sort() });
    }
  });

  it('parses the defaults its flags declare', () => {
    for (const command of COMMANDS) {
      const input: Record<string, unknown> = {};
      for (const o of command.options ?? []) {
        const key = optionKey(o);
        if (o.default !== undefined) input[key] = o.default;
        else if (o.flags.startsWith('--no-')) input[key] = true;
        else if (o.required) input[key] = SAMPLES[key] ?? (key === 'run' ? 'run-1' : 'x');
      }
      for (const a of command.arguments ?? []) input[a.key] = SAMPLES[a.key] ?? 'x';
      if (command.name === 'eval') input.candidate = SAMPLES.candidate;
      expect(() => parseArgs(command, input), command.name).not.toThrow();
    }
  });

  it('lets only the commands that make sense remotely go through a server', () => {
    expect(COMMANDS.filter((c) => c.remote).map((c) => c.name).sort()).toEqual(
      ['calibrate', 'eval', 'export', 'import promptfoo', 'ingest', 'insights', 'intents assign', 'intents discover', 'intents fit', 'keys list', 'labels export', 'labels import', 'promote', 'quarantine', 'rollback', 'scenarios build', 'scenarios list', 'scenarios show', 'score', 'scorers fit', 'scorers list', 'simulate', 'stats', 'suite build', 'suite list', 'suite show'].sort(),
    );
    for (const c of COMMANDS.filter((c) => c.remote)) expect(c.store, c.name).toBe(true);
  });
});

describe('one message for invalid arguments', () => {
  const command = COMMANDS.find((c) => c.name === 'eval')!;

  it('names each field by its flag, once, and lists every issue', () => {
    const error = (() => {
      try {
        parseArgs(command, { candidate: [], suiteVersion: 'x', repeat: '0' });
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('usage');
    expect(error.message).toContain('--suite NAME is required');
    expect(error.message).not.toContain('--suite: --suite');
    expect(error.message).toMatch(/--suite-version: /);
    expect(error.message).toMatch(/--candidate: give at least one --candidate FILE|give at least one --candidate FILE/);
    expect(error.message).toMatch(/--repeat: /);
    expect(error.message.split('; ')).toHaveLength(4);
  });
});
