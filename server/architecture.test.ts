// The house rules, checked on the source: every table is reached through server/storage/, folders
// depend on each other in one direction only, and each folder keeps its role (README "Layout").
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The folder under server/ a file belongs to (`(app)` for files directly in server/). */
const folderOf = (file: string) => (file.split(sep).length > 2 ? file.split(sep)[1]! : '(app)');

/** Relative imports of a file, as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map((m) => normalize(join(dirname(file), m[1]!)));
}

const SERVER = sources('server').filter((f) => folderOf(f) !== 'test-support');

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of SERVER) {
    const from = folderOf(file);
    for (const target of importsOf(file)) {
      if (!target.startsWith(`server${sep}`)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

describe('the house rules', () => {
  it('reaches the database only from server/storage/ (scripts and every other folder go through repositories)', () => {
    // The ingest benchmark's references are DuckDB's own: read_json_auto on a scratch database, and its own
    // load of the file into a fresh store's tables (the floor), not firstcall's store code.
    const allowed = new Set([join('scripts', 'bench', 'ingest-child.ts')]);
    const offenders: string[] = [];
    for (const file of [...sources('server'), ...sources('scripts')]) {
      if (file.startsWith(join('server', 'storage') + sep) || file.startsWith(join('server', 'test-support') + sep) || allowed.has(file)) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      const calls = text.match(/\b(?:db|database|this\.db)\.(?:all|run|connection)\b|\bconnection\.(?:run|runAndReadAll|stream)\(/g);
      if (calls) offenders.push(`${file}: ${[...new Set(calls)].join(', ')}`);
    }
    expect(offenders).toEqual([]);
  });

  it('has no cycle between folders of server/', () => {
    const graph = folderGraph();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) visit(node, [node]);
    expect([...new Set(cycles)]).toEqual([]);
  });

  it('keeps each folder to its role: domain imports nothing of ours, routes only services and domain, storage no use case', () => {
    const graph = folderGraph();
    const allowed: Record<string, readonly string[]> = {
      domain: [],
      metrics: ['domain'],
      text: ['domain'],
      routes: ['domain', 'services', 'plugins'],
      plugins: ['domain', 'services'],
      storage: ['domain', 'text', 'metrics', 'learn'],
      promotion: ['domain', 'metrics'],
      // Queues, workers and replicas on Redis: no use case (services call scale, not the reverse).
      scale: ['domain', 'providers', 'scenarios', 'simulate', 'storage'],
    };
    const broken: string[] = [];
    for (const [folder, may] of Object.entries(allowed)) {
      for (const to of graph.get(folder) ?? []) if (!may.includes(to)) broken.push(`${folder} -> ${to}`);
    }
    // Nothing but the app itself wires routes and plugins.
    for (const [from, tos] of graph) if (from !== '(app)' && (tos.has('routes') || tos.has('plugins')) && from !== 'routes') broken.push(`${from} -> routes/plugins`);
    expect(broken).toEqual([]);
  });

  it('keeps test doubles out of production code: nothing outside tests imports server/test-support/', () => {
    const offenders = [...SERVER, ...sources('scripts').filter((f) => !f.startsWith(join('scripts', 'bench') + sep))].filter((file) =>
      importsOf(file).some((target) => target.startsWith(join('server', 'test-support') + sep)),
    );
    expect(offenders).toEqual([]);
  });
});
