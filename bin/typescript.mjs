// How firstcall runs its TypeScript sources (no build step): through tsx's loader, whose hooks see every
// module imported after it is registered, each with a round trip to the loader's own thread. zod, which
// every domain schema imports, is loaded first through Node's own loader (the same module instance the
// sources get): through the hooks its files took about a third of a worker thread's start-up, ~90 ms
// of CPU for each thread (the eval's scoring worker, the ingest and fine-tuning workers, the CLI).
//
// The CLI and the worker threads are instead started from a bundle: the entry module and every local
// module it imports in one ES module (esbuild, which tsx itself uses; packages stay imports), cached
// under node_modules/.cache/firstcall and built again when any of its files changes. They then start
// with neither the loader's thread nor its round trips: the eval's scoring worker takes ~0.24 CPU s to
// its first score instead of ~0.43 (bench:eval on 2 cores: ratio to the ideal ~0.015 lower), and
// `firstcall --help` takes ~0.7 s instead of ~1.05 (~0.9 s when it builds the bundle first). Where no
// bundle can be built or cached (no esbuild, a read-only tree), or with FIRSTCALL_BUNDLE=0, they go
// through the loader as before. A worker thread's bundle holds zod too (`inline`: zod is the only
// package the workers import): loading zod's hundred-odd modules took ~40 ms of each thread's start,
// one file ~20 (the scoring worker ~52 ms of CPU to ready instead of ~80; bench:eval on 2 cores:
// ratio to the ideal 1.138 against 1.151 in six alternating pairs).
//
// A background worker thread (ingest staging, reply scoring) runs below the threads that serve
// requests and drive model calls, so that on a machine with few cores a busy background thread gives
// up its core as soon as a foreground one has work. Its priority is lowered before anything is loaded:
// its start-up is then background work too (and the loader's own thread, started by `register()`,
// inherits it). On Linux `os.setPriority(n)` without a pid sets the calling thread's own niceness;
// elsewhere (macOS, Windows) it would lower the whole process, the server's event loop included, so
// there the thread keeps the normal priority, as it does where lowering it is not permitted.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { basename, dirname, extname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

const BACKGROUND_NICENESS = 10;
const BUNDLE_CACHE = fileURLToPath(new URL('../node_modules/.cache/firstcall/bundles/', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

/**
 * Imports the module at `url` (a file URL): through tsx's loader, or with `bundle` from a cached bundle
 * of it (see above; `cacheDir` for tests). `background` lowers the thread's priority first.
 * `sourceMaps` has a bundle's stack traces name the sources' files and lines, as tsx's do (the CLI:
 * ~0.1 s more to start; worker threads leave them off unless run with --enable-source-maps).
 */
export async function importTypeScript(url, { background = false, bundle = false, inline = [], sourceMaps = false, cacheDir = BUNDLE_CACHE } = {}) {
  if (background && process.platform === 'linux') {
    try {
      setPriority(BACKGROUND_NICENESS);
    } catch {
      // not permitted here
    }
  }
  if (bundle && process.env.FIRSTCALL_BUNDLE !== '0') {
    const file = await bundled(fileURLToPath(url), cacheDir, { inline }).catch((error) => {
      // Slower, not wrong: said once, so that a tree where bundles cannot be built is noticed.
      process.emitWarning(`no bundle of ${basename(fileURLToPath(url))} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); starting it through the TypeScript loader (FIRSTCALL_BUNDLE=0 skips bundling)`, { code: 'FIRSTCALL_NO_BUNDLE' });
      return null;
    });
    if (file !== null) {
      if (sourceMaps) process.setSourceMapsEnabled(true);
      return import(pathToFileURL(file).href);
    }
  }
  await import('zod');
  const { register } = await import('tsx/esm/api');
  register();
  return import(url);
}

const HEADER = '// firstcall bundle ';

/**
 * The bundle of `entry` (a path) in `cacheDir`, built when it is missing or any file it was built from
 * changed. Its first line records what it was built from: the Node version, and each local file's
 * modification time and size (tsconfig.json's too), taken before the file was read (an edit while it
 * builds makes it stale). Written whole under a temporary name and renamed, so a thread never imports
 * half a bundle.
 */
export async function bundled(entry, cacheDir, { inline = [] } = {}) {
  const key = createHash('sha256').update(entry).update(inline.length > 0 ? `\0${inline.join(',')}` : '').digest('hex').slice(0, 12);
  const file = join(cacheDir, `${basename(entry, extname(entry))}-${key}.mjs`);
  if (isFresh(file)) return file;
  const esbuild = await import('esbuild');
  // The tsconfig esbuild reads shapes the output too.
  const inputs = existsSync(TSCONFIG) ? [[TSCONFIG, statSync(TSCONFIG).mtimeMs, statSync(TSCONFIG).size]] : [];
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    ...(inline.length > 0 ? {} : { packages: 'external' }),
    write: false,
    outfile: file,
    // Beside it, read only when source maps are on (--enable-source-maps): stack traces then name the sources.
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [...(inline.length > 0 ? [packagesExceptInline(inline, inputs)] : []), sourcesAsWritten(inputs)],
  });
  mkdirSync(cacheDir, { recursive: true });
  const write = (path, text) => {
    const temporary = `${path}.${process.pid}-${threadId}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  };
  const output = (extension) => result.outputFiles.find((f) => f.path.endsWith(extension)).text;
  write(`${file}.map`, output('.mjs.map'));
  write(file, `${HEADER}${JSON.stringify({ node: process.versions.node, inputs })}\n${output('.mjs')}`);
  return file;
}

function isFresh(file) {
  let header;
  try {
    const text = readFileSync(file, 'utf8');
    const end = text.indexOf('\n');
    if (!text.startsWith(HEADER) || end < 0) return false;
    header = JSON.parse(text.slice(HEADER.length, end));
  } catch {
    return false;
  }
  // Built for this Node (its syntax is lowered for the version that built it).
  if (header.node !== process.versions.node || !Array.isArray(header.inputs)) return false;
  try {
    return header.inputs.every(([path, mtimeMs, size]) => {
      const stat = statSync(path);
      return stat.mtimeMs === mtimeMs && stat.size === size;
    });
  } catch {
    return false;
  }
}

/**
 * Packages stay imports, but for those in `inline`, which go into the bundle: a worker thread whose
 * only package is zod then loads one file instead of zod's hundred-odd modules (~20 ms of its start
 * instead of ~40). Each inlined package's package.json is an input, so installing another version
 * rebuilds the bundle. Only for a bundle that imports no other package using them: a package
 * imported from node_modules would get its own copy of an inlined one.
 */
function packagesExceptInline(inline, inputs) {
  const noted = new Set();
  return {
    name: 'firstcall-packages-except-inline',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { external: true };
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        if (!inline.includes(name)) return { external: true };
        const manifest = packageManifest(name, args.resolveDir);
        if (manifest !== undefined && !noted.has(manifest)) {
          noted.add(manifest);
          const stat = statSync(manifest);
          inputs.push([manifest, stat.mtimeMs, stat.size]);
        }
        return undefined;
      });
    },
  };
}

/** The package.json of package `name` as Node would find it from `dir`: in the nearest node_modules folder above that has it. */
function packageManifest(name, dir) {
  for (let at = dir; ; at = dirname(at)) {
    const manifest = join(at, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return manifest;
    if (dirname(at) === at) return undefined;
  }
}

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.json': 'json', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };

/**
 * Reads each local file for esbuild, noting its stat in `inputs`, with `import.meta.url`, `.dirname`
 * and `.filename` written as the file's own: in the bundle they would be the bundle's, and the
 * sources find their data files (lexicons, built-in models) beside themselves.
 */
function sourcesAsWritten(inputs) {
  return {
    name: 'firstcall-sources-as-written',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const stat = statSync(args.path);
        inputs.push([args.path, stat.mtimeMs, stat.size]);
        const source = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, what) =>
          JSON.stringify(what === 'url' ? pathToFileURL(args.path).href : what === 'dirname' ? dirname(args.path) : args.path),
        );
        return { contents: source, loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
