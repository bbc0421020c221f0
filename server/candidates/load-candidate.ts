// Loads candidates (prompt template × model × params) from files or CLI flags, with a stable hash and
// error messages that name the file and the field. A candidate's `prompt` is a template file, or a
// Langfuse prompt (`langfuse://name@label`, `langfuse://name#version`) fetched when the candidate loads:
// its content is in the template, so a new Langfuse version with new text is a new candidate hash.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { CandidateSpec, ModelParams, PromptTemplate, type Candidate } from '../domain/eval.ts';
import { templateVariableProblems } from './render-prompt.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { LangfuseSource, langfuseConnectionFromEnv, type LangfuseConnection } from '../interop/langfuse-client.ts';
import { describeRef, parseLangfusePromptRef, templateFromPrompt, type LangfusePromptRef } from '../interop/langfuse-prompt.ts';
import { detectLanguage } from '../text/detect-language.ts';

export interface LoadOptions {
  /** The repository root: relative file paths, and a candidate's `prompt`, are resolved against it. */
  root: string;
  /** Where `langfuse://` prompts come from (default: LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY, LANGFUSE_BASE_URL). */
  langfuse?: LangfuseConnection;
}

export interface CandidateFlags {
  prompt: string;
  model: string;
  params?: z.input<typeof ModelParams>;
  /** Defaults to `<template id>-v<version>@<model>`. */
  name?: string;
}

export async function loadCandidate(path: string, { root, langfuse }: LoadOptions): Promise<Candidate> {
  const raw = await readStructuredFile(path, root, 'candidate file');
  const spec = parseWith(CandidateSpec, raw, (field, message) => `${path}: ${field}: ${message}`);
  const template = await loadTemplateFor(spec.prompt, { root, langfuse }, `${path}: prompt`);
  return resolveCandidate(spec, template);
}

/** A candidate from `--prompt`, `--model` and model-parameter flags (`--temperature`, `--max-tokens`, ...). */
export async function candidateFromFlags(flags: CandidateFlags, { root, langfuse }: LoadOptions): Promise<Candidate> {
  const input = { name: flags.name ?? 'from-flags', prompt: flags.prompt, model: flags.model, ...(flags.params === undefined ? {} : { params: flags.params }) };
  const spec = parseWith(CandidateSpec, input, (field, message) => `${flagName(field)}: ${message}`);
  const template = await loadTemplateFor(spec.prompt, { root, langfuse }, '--prompt');
  if (flags.name === undefined) spec.name = `${template.id}-v${template.version}@${spec.model}`;
  return resolveCandidate(spec, template);
}

export async function loadPromptTemplate(path: string, { root }: LoadOptions): Promise<PromptTemplate> {
  const raw = await readStructuredFile(path, root, 'prompt template');
  const template = parseWith(PromptTemplate, raw, (field, message) => `${path}: ${field}: ${message}`);
  const problems = templateVariableProblems(template);
  if (problems.length > 0) throw new AppError('usage', `${path}: ${problems.join('; ')}`);
  return template;
}

/** sha256 (hex, first 16) of the canonical JSON of { template, model, params }: the name and file paths do not count. */
export function candidateHash(template: PromptTemplate, model: string, params: ModelParams): string {
  return createHash('sha256').update(canonicalJson({ template, model, params })).digest('hex').slice(0, 16);
}

export { canonicalJson };

function resolveCandidate(spec: CandidateSpec, template: PromptTemplate): Candidate {
  return { spec, template, hash: candidateHash(template, spec.model, spec.params) };
}

async function loadTemplateFor(prompt: string, options: LoadOptions, where: string): Promise<PromptTemplate> {
  try {
    let ref: LangfusePromptRef | undefined;
    try {
      ref = parseLangfusePromptRef(prompt);
    } catch (error) {
      throw new AppError('usage', (error as Error).message);
    }
    if (ref) return await loadLangfuseTemplate(ref, options.langfuse);
    return await loadPromptTemplate(prompt, { root: options.root });
  } catch (error) {
    if (AppError.isInstance(error)) throw new AppError('usage', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * A Langfuse prompt version as a template. Its {{variables}} must be ones firstcall fills (the same
 * check as a file); a prompt that cannot be read as a system prompt and example pairs is refused.
 */
export async function loadLangfuseTemplate(ref: LangfusePromptRef, connection?: LangfuseConnection): Promise<PromptTemplate> {
  const where = describeRef(ref);
  const prompt = await new LangfuseSource(connection ?? langfuseConnectionFromEnv()).prompt(ref.name, ref);
  let template: PromptTemplate;
  try {
    template = templateFromPrompt(prompt, detectLanguage).template;
  } catch (error) {
    throw new AppError('usage', `${where} (version ${prompt.version}): ${(error as Error).message}`, { cause: error });
  }
  const problems = templateVariableProblems(template);
  if (problems.length > 0) {
    throw new AppError(
      'usage',
      `${where} (version ${prompt.version}): ${[...new Set(problems.map((p) => p.replace(/^system\.(zh|en): /, 'system: ')))].join('; ')}. Langfuse's {{variables}} map to firstcall's by name; rename or remove the others in Langfuse`,
    );
  }
  return template;
}

async function readStructuredFile(path: string, root: string, what: string): Promise<unknown> {
  const full = isAbsolute(path) ? path : resolve(root, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('usage', `${what} not found: ${path} (looked for ${full})`, { cause: error });
    if (code === 'EISDIR') throw new AppError('usage', `${what} ${path} is a directory, not a file`, { cause: error });
    throw new AppError('usage', `cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (extname(full).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new AppError('usage', `${path}: invalid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    // `uniqueKeys` (the default) rejects a key written twice, a classic copy-paste slip.
    return parseYaml(text) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new AppError('usage', `${path}: invalid YAML${at}: ${firstLine(error.message)}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Parses with the schema and rejects fields the schema does not know: zod strips them silently, so a
 * typo such as `temprature: 0.7` would otherwise run with the default temperature.
 */
function parseWith<T extends z.ZodType>(schema: T, raw: unknown, format: (field: string, message: string) => string): z.output<T> {
  if (raw === null || raw === undefined) throw new AppError('usage', format('(file)', 'is empty'));
  const result = schema.safeParse(raw);
  if (!result.success) {
    const messages = result.error.issues.map((issue) => format(fieldPath(issue.path), issue.message));
    throw new AppError('usage', messages.join('; '));
  }
  const unknown = unknownFields(raw, result.data, '');
  if (unknown.length > 0) throw new AppError('usage', unknown.map((field) => format(field, 'unknown field')).join('; '));
  return result.data;
}

/** Paths present in the input but absent from the parsed output (object keys zod stripped). */
function unknownFields(input: unknown, output: unknown, path: string): string[] {
  if (Array.isArray(input) && Array.isArray(output)) return input.flatMap((item, i) => unknownFields(item, output[i], `${path}${path ? '.' : ''}${i}`));
  if (!isRecord(input) || !isRecord(output)) return [];
  const found: string[] = [];
  for (const key of Object.keys(input)) {
    const child = path === '' ? key : `${path}.${key}`;
    if (!(key in output)) found.push(child);
    else found.push(...unknownFields(input[key], output[key], child));
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** `params.max_tokens` → `--max-tokens`, `model` → `--model`. */
function flagName(field: string): string {
  const last = field.startsWith('params.') ? field.slice('params.'.length) : field;
  return last === '(root)' ? 'flags' : `--${last.replaceAll('_', '-')}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
