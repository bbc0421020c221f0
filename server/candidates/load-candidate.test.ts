import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { parseReply } from '../domain/eval.ts';
import { candidateFromFlags, candidateHash, canonicalJson, loadCandidate, loadPromptTemplate } from './load-candidate.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TEMP = mkdtempSync(join(tmpdir(), 'firstcall-candidates-'));
afterAll(() => rmSync(TEMP, { recursive: true, force: true }));

const CONCISE = readFileSync(join(ROOT, 'prompts', 'concise-v1.yaml'), 'utf8');

/** A scratch repository root holding the given files. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(TEMP, 'repo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function usageMessage(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!AppError.isInstance(error) || error.code !== 'usage') throw new Error(`expected a usage error, got ${String(error)}`);
  return error.message;
}

const CANDIDATE = 'name: a\nprompt: prompts/p.yaml\nmodel: openai:gpt-4o-mini\nparams:\n  temperature: 0.2\n';

describe('the bundled files', () => {
  it('loads every candidate in evals/candidates with its template', async () => {
    const files = readdirSync(join(ROOT, 'evals', 'candidates')).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['kb-concise.yaml', 'kb-empathetic.yaml', 'kb-strict.yaml', 'human-replay.yaml', 'openai-empathetic.yaml']));
    const hashes = new Set<string>();
    for (const file of files) {
      const candidate = await loadCandidate(`evals/candidates/${file}`, { root: ROOT });
      expect(candidate.spec.name).toBe(file.replace(/\.yaml$/, ''));
      expect(candidate.hash).toMatch(/^[0-9a-f]{16}$/);
      hashes.add(candidate.hash);
    }
    expect(hashes.size).toBe(files.length);
  });

  it('has prompt templates that parse, use known variables, share one policy and teach the hand-off marker', async () => {
    const files = readdirSync(join(ROOT, 'prompts')).filter((f) => f.endsWith('.yaml'));
    expect(files).toEqual(expect.arrayContaining(['concise-v1.yaml', 'empathetic-v1.yaml', 'strict-policy-v1.yaml']));
    const templates = await Promise.all(files.map((f) => loadPromptTemplate(`prompts/${f}`, { root: ROOT })));
    for (const [i, t] of templates.entries()) {
      expect(`${t.id}-v${t.version}.yaml`).toBe(files[i]);
      for (const lang of ['zh', 'en'] as const) {
        for (const v of ['customer_profile', 'warranty_status', 'policy', 'language', 'channel', 'today', 'retailer']) expect(t.system[lang]).toContain(`{{${v}}}`);
        for (const queue of ['human', 'vip', 'complaints']) expect(parseReply(`ok [[handoff:${queue}]]`).handoff?.queue).toBe(queue);
        for (const queue of ['human', 'vip', 'complaints']) expect(t.escalation.rules[lang]).toContain(`[[handoff:${queue}]]`);
        expect(t.greeting?.[lang]).toBeTruthy();
        expect(t.sign_off?.[lang]).toBeTruthy();
      }
      for (const shot of t.few_shot) {
        // An example that hands off must use a real queue, so the model copies a correct marker.
        const handoff = parseReply(shot.agent).handoff;
        if (handoff) expect(['human', 'vip', 'complaints']).toContain(handoff.queue);
      }
    }
    const v1 = templates.filter((t) => t.version === 1);
    for (const t of v1) expect(t.policy).toEqual(v1[0]!.policy);
  });
});

describe('candidate hash', () => {
  it('is the same for the same content, whatever the file names, key order, comments and candidate name', async () => {
    const reordered = `# moved around\nmodel: openai:gpt-4o-mini\nparams: { temperature: 0.2, max_tokens: 400 }\nprompt: prompts/elsewhere/q.yaml\nname: renamed\n`;
    const root = repo({ 'prompts/p.yaml': CONCISE, 'prompts/elsewhere/q.yaml': `# a copy\n${CONCISE}`, 'a.yaml': CANDIDATE, 'b.yaml': reordered });
    const a = await loadCandidate('a.yaml', { root });
    const b = await loadCandidate('b.yaml', { root });
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toBe(candidateHash(a.template, 'openai:gpt-4o-mini', { temperature: 0.2, max_tokens: 400 }));
  });

  it('changes when a param, the model or the template changes', async () => {
    const root = repo({
      'prompts/p.yaml': CONCISE,
      'prompts/p2.yaml': CONCISE.replace('Anything else I can help with?', 'Anything else?'),
      'base.yaml': CANDIDATE,
      'temperature.yaml': CANDIDATE.replace('0.2', '0.3'),
      'tokens.yaml': `${CANDIDATE}  max_tokens: 401\n`,
      'model.yaml': CANDIDATE.replace('gpt-4o-mini', 'gpt-4o'),
      'template.yaml': CANDIDATE.replace('prompts/p.yaml', 'prompts/p2.yaml'),
    });
    const hashes = await Promise.all(['base', 'temperature', 'tokens', 'model', 'template'].map(async (f) => (await loadCandidate(`${f}.yaml`, { root })).hash));
    expect(new Set(hashes).size).toBe(5);
  });

  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('loadCandidate', () => {
  it('reads JSON candidates too, and fills default params', async () => {
    const root = repo({ 'prompts/p.yaml': CONCISE, 'c.json': JSON.stringify({ name: 'j', prompt: 'prompts/p.yaml', model: 'local:kb' }) });
    const candidate = await loadCandidate(join(root, 'c.json'), { root });
    expect(candidate.spec).toEqual({ name: 'j', prompt: 'prompts/p.yaml', model: 'local:kb', params: { temperature: 0, max_tokens: 400 } });
    expect(candidate.template.id).toBe('concise');
  });

  it('says which file is missing', async () => {
    const root = repo({ 'c.yaml': CANDIDATE });
    expect(await usageMessage(loadCandidate('nope.yaml', { root }))).toMatch(/^candidate file not found: nope\.yaml/);
    expect(await usageMessage(loadCandidate('c.yaml', { root }))).toMatch(/^c\.yaml: prompt: prompt template not found: prompts\/p\.yaml/);
  });

  it('says where the YAML is broken', async () => {
    const root = repo({ 'c.yaml': 'name: a\nprompt: [unclosed\nmodel: local:kb\n', 'empty.yaml': '# nothing\n', 'dup.yaml': 'name: a\nname: b\n' });
    expect(await usageMessage(loadCandidate('c.yaml', { root }))).toMatch(/^c\.yaml: invalid YAML at line \d+, column \d+: /);
    expect(await usageMessage(loadCandidate('empty.yaml', { root }))).toBe('empty.yaml: (file): is empty');
    expect(await usageMessage(loadCandidate('dup.yaml', { root }))).toMatch(/^dup\.yaml: invalid YAML.*unique/i);
  });

  it('names the field of a schema error, and of a field the schema does not know', async () => {
    const root = repo({
      'prompts/p.yaml': CONCISE,
      'hot.yaml': CANDIDATE.replace('0.2', '3'),
      'model.yaml': CANDIDATE.replace('openai:gpt-4o-mini', 'gpt4'),
      'typo.yaml': CANDIDATE.replace('temperature', 'temprature'),
      'list.yaml': '- a\n- b\n',
    });
    expect(await usageMessage(loadCandidate('hot.yaml', { root }))).toMatch(/^hot\.yaml: params\.temperature: Too big/);
    expect(await usageMessage(loadCandidate('model.yaml', { root }))).toBe('model.yaml: model: a model id is provider:model, e.g. openai:gpt-4o-mini');
    expect(await usageMessage(loadCandidate('typo.yaml', { root }))).toBe('typo.yaml: params.temprature: unknown field');
    expect(await usageMessage(loadCandidate('list.yaml', { root }))).toMatch(/^list\.yaml: \(root\): /);
  });

  it('rejects a template with an unknown variable when it loads, naming the file and field', async () => {
    const root = repo({ 'prompts/p.yaml': CONCISE.replaceAll('{{customer_profile}}', '{{customer_profle}}'), 'c.yaml': CANDIDATE });
    const message = await usageMessage(loadCandidate('c.yaml', { root }));
    expect(message).toMatch(/^c\.yaml: prompt: prompts\/p\.yaml: system\.zh: unknown variable \{\{customer_profle\}\}/);
    expect(message).toContain('system.en: unknown variable {{customer_profle}}');
  });

  it('rejects a template with a misspelt or missing field', async () => {
    const root = repo({ 'a.yaml': CONCISE.replace('sign_off:', 'sign_of:'), 'b.yaml': CONCISE.replace(/^fallback_message:[\s\S]*?(?=^#)/m, '') });
    expect(await usageMessage(loadPromptTemplate('a.yaml', { root }))).toBe('a.yaml: sign_of: unknown field');
    expect(await usageMessage(loadPromptTemplate('b.yaml', { root }))).toMatch(/^b\.yaml: fallback_message: /);
  });
});

describe('candidateFromFlags', () => {
  it('builds a candidate named after its template and model, hashed like a file', async () => {
    const root = repo({ 'prompts/p.yaml': CONCISE, 'c.yaml': CANDIDATE });
    const fromFlags = await candidateFromFlags({ prompt: 'prompts/p.yaml', model: 'openai:gpt-4o-mini', params: { temperature: 0.2 } }, { root });
    expect(fromFlags.spec.name).toBe('concise-v1@openai:gpt-4o-mini');
    expect(fromFlags.hash).toBe((await loadCandidate('c.yaml', { root })).hash);
  });

  it('names the flag at fault', async () => {
    const root = repo({ 'prompts/p.yaml': CONCISE });
    expect(await usageMessage(candidateFromFlags({ prompt: 'prompts/p.yaml', model: 'local:kb', params: { max_tokens: 0 } }, { root }))).toMatch(/^--max-tokens: /);
    expect(await usageMessage(candidateFromFlags({ prompt: 'prompts/p.yaml', model: 'kb' }, { root }))).toMatch(/^--model: a model id is provider:model/);
    expect(await usageMessage(candidateFromFlags({ prompt: 'prompts/nope.yaml', model: 'local:kb' }, { root }))).toMatch(/^--prompt: prompt template not found/);
  });
});
