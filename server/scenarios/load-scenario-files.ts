// Hand-written scenarios: every *.yaml / *.yml file of a folder holds one scenario or a list of
// them; each is checked with the Scenario schema and an error names the file and the field.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../domain/errors.ts';
import { Scenario } from './scenario.ts';

export async function loadScenarioFiles(dir: string): Promise<Scenario[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    let doc: unknown;
    try {
      doc = parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new AppError('usage', `${path}: not valid YAML (${error instanceof Error ? error.message : String(error)})`);
    }
    const items = Array.isArray(doc) ? doc : [doc];
    for (const [i, item] of items.entries()) {
      const parsed = Scenario.safeParse(item);
      if (!parsed.success) {
        const where = items.length > 1 ? `${path} [${i}]` : path;
        throw new AppError('usage', `${where}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'scenario'}: ${x.message}`).join('; ')}`);
      }
      const other = seen.get(parsed.data.id);
      if (other !== undefined) throw new AppError('usage', `${path}: scenario id ${parsed.data.id} is also used in ${other}`);
      seen.set(parsed.data.id, path);
      scenarios.push(parsed.data);
    }
  }
  return scenarios;
}
