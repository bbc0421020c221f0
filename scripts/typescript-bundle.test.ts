// Worker threads start from a cached bundle of their TypeScript (bin/typescript.mjs): what it imports
// and reads must be what the sources would, and a changed source must never run from an old bundle.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundled } from '../bin/typescript.mjs';

// Packages stay imports, resolved from the bundle's folder: the cache lives under the repository's node_modules.
const cacheDir = mkdtempSync(join(import.meta.dirname, '..', 'node_modules', '.cache', 'firstcall-test-'));
const sources = mkdtempSync(join(tmpdir(), 'firstcall-bundle-src-'));
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(sources, { recursive: true, force: true });
});

let imports = 0;
/** The bundle imported as a module of its own (a fresh URL each time: Node caches modules by URL). */
const load = async (file: string) => (await import(`${pathToFileURL(file).href}?${++imports}`)) as { answer: () => { word: string; data: string; here: string; schema: boolean } };

function writeSources(word: string): void {
  mkdirSync(join(sources, 'lib', 'data'), { recursive: true });
  writeFileSync(join(sources, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(sources, 'lib', 'data', 'word.txt'), 'from the data file');
  writeFileSync(join(sources, 'lib', 'word.ts'), `export const WORD: string = '${word}';\n`);
  writeFileSync(
    join(sources, 'lib', 'reader.ts'),
    [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      "import { fileURLToPath } from 'node:url';",
      "export const data = (): string => readFileSync(join(import.meta.dirname, 'data', 'word.txt'), 'utf8');",
      'export const here = (): string => fileURLToPath(import.meta.url);',
    ].join('\n'),
  );
  writeFileSync(
    join(sources, 'entry.ts'),
    [
      "import { z } from 'zod';",
      "import { WORD } from './lib/word.ts';",
      "import { data, here } from './lib/reader.ts';",
      'export const answer = () => ({ word: WORD, data: data(), here: here(), schema: z.string().safeParse(WORD).success });',
    ].join('\n'),
  );
}

describe('a worker thread started from a bundle of its TypeScript', () => {
  const entry = join(sources, 'entry.ts');

  it('runs the sources as written: local imports bundled, packages imported, each file reading beside itself', async () => {
    writeSources('first');
    const file = await bundled(entry, cacheDir);
    expect(file.startsWith(cacheDir)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^import \{ z \} from "zod";$/m);
    const answer = (await load(file)).answer();
    expect(answer).toEqual({ word: 'first', data: 'from the data file', here: join(sources, 'lib', 'reader.ts'), schema: true });
  });

  it('is built once and then reused while none of its files changes', async () => {
    const file = await bundled(entry, cacheDir);
    const before = statSync(file).mtimeMs;
    utimesSync(file, new Date(before - 60_000), new Date(before - 60_000));
    const marked = statSync(file).mtimeMs;
    expect(await bundled(entry, cacheDir)).toBe(file);
    expect(statSync(file).mtimeMs).toBe(marked);
  });

  it('is built again when an imported file changes, so an old bundle never runs new sources', async () => {
    writeFileSync(join(sources, 'lib', 'word.ts'), "export const WORD: string = 'second, longer';\n");
    const file = await bundled(entry, cacheDir);
    expect((await load(file)).answer().word).toBe('second, longer');
    // Same size, new content: the modification time tells.
    writeFileSync(join(sources, 'lib', 'word.ts'), "export const WORD: string = 'second, LONGER';\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(sources, 'lib', 'word.ts'), later, later);
    expect((await load(await bundled(entry, cacheDir))).answer().word).toBe('second, LONGER');
  });

  it('when it cannot be built or cached, the thread starts through the TypeScript loader instead, and says so once', () => {
    // No package imports here: through the loader, the sources resolve packages from their own folder (a temporary one).
    const plain = join(sources, 'plain.ts');
    writeFileSync(plain, "import { WORD } from './lib/word.ts';\nimport { data } from './lib/reader.ts';\nexport const answer = () => ({ word: WORD, data: data() });\n");
    const script = [
      `import { importTypeScript } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'bin', 'typescript.mjs')).href)};`,
      `const m = await importTypeScript(${JSON.stringify(pathToFileURL(plain).href)}, { bundle: true, cacheDir: ${JSON.stringify(join(plain, 'not-a-dir'))} });`,
      'console.log(JSON.stringify(m.answer()));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', timeout: 30_000 });
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim())).toEqual({ word: 'second, LONGER', data: 'from the data file' });
    expect(child.stderr.match(/FIRSTCALL_NO_BUNDLE/g)).toHaveLength(1);
    expect(child.stderr).toContain('no bundle of plain.ts');
  });

  it('is built again for another Node version (its syntax is lowered for the one that built it)', async () => {
    const file = await bundled(entry, cacheDir);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(`"node":"${process.versions.node}"`, '"node":"18.0.0"'));
    await bundled(entry, cacheDir);
    const rebuilt = readFileSync(file, 'utf8');
    expect(rebuilt).toContain(`"node":"${process.versions.node}"`);
    // The same code (the header lists the same files, in the order esbuild happened to read them).
    expect(rebuilt.slice(rebuilt.indexOf('\n'))).toBe(text.slice(text.indexOf('\n')));
  });

  it('holds the packages named inline itself and keeps the others as imports; another installed version of one is built again', async () => {
    const pkg = join(sources, 'node_modules', 'greeting');
    const install = (version: string, word: string) => {
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'greeting', version, type: 'module', main: 'index.js' }));
      writeFileSync(join(pkg, 'index.js'), `export const greeting = ${JSON.stringify(word)};\n`);
      const later = new Date(Date.now() + 10_000 * Number(version.split('.')[0]));
      utimesSync(join(pkg, 'package.json'), later, later);
    };
    install('1.0.0', 'hello');
    const withPackage = join(sources, 'with-package.ts');
    writeFileSync(withPackage, "import { z } from 'zod';\nimport { greeting } from 'greeting';\nexport const answer = () => ({ word: greeting, schema: z.string().safeParse(greeting).success });\n");
    const file = await bundled(withPackage, cacheDir, { inline: ['greeting'] });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from "greeting"/);
    expect(text).toMatch(/^import \{ z \} from "zod";$/m);
    expect((await load(file)).answer()).toEqual({ word: 'hello', schema: true });
    // Not the bundle of the same entry without inlining.
    expect(await bundled(withPackage, cacheDir)).not.toBe(file);
    install('2.0.0', 'hi there');
    expect(await bundled(withPackage, cacheDir, { inline: ['greeting'] })).toBe(file);
    expect((await load(file)).answer().word).toBe('hi there');
  });

  it('is built again when its cached copy is damaged', async () => {
    const file = await bundled(entry, cacheDir);
    writeFileSync(file, 'export const answer = () => ({ word: "damaged" });\n');
    expect((await load(await bundled(entry, cacheDir))).answer().word).toBe('second, LONGER');
  });
});
