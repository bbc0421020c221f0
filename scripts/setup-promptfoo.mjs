#!/usr/bin/env node
// Installs promptfoo (tools/promptfoo) for the interop tests and bench:eval, apart from firstcall's
// own dependencies: promptfoo 0.121.x is the newest that runs on Node 20, and its optional packages
// (cloud SDKs, browsers, ML runtimes) come to ~2 GB, so they are left out (tools/promptfoo/.npmrc).
// The one native package promptfoo cannot start without, its SQLite driver's binary for this
// platform, is an optional package too; it is added afterwards at the version the lockfile pins.
// Does nothing when the installed tree already matches the lockfile.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'promptfoo');
const quiet = process.argv.includes('--quiet');
const lockText = readFileSync(join(dir, 'package-lock.json'), 'utf8');
const stamp = join(dir, 'node_modules', '.firstcall-installed');
const want = createHash('sha256').update(lockText).digest('hex');
const bin = join(dir, 'node_modules', 'promptfoo', 'package.json');

if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
  if (!quiet) console.log('promptfoo is installed (tools/promptfoo)');
  process.exit(0);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args) =>
  execFileSync(npm, args, { cwd: dir, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });

console.error('installing promptfoo into tools/promptfoo (optional packages left out) …');
run(['ci', '--no-audit', '--no-fund', '--loglevel=error']);

// The platform binaries the lockfile lists for this machine, among the packages promptfoo needs.
const NEEDED = [/^node_modules\/@libsql\/[^/]+$/];
const glibc = Boolean(process.report?.getReport?.().header?.glibcVersionRuntime);
const lock = JSON.parse(lockText);
const natives = Object.entries(lock.packages ?? {})
  .filter(([path, p]) => NEEDED.some((re) => re.test(path)) && p.os && p.cpu)
  .filter(([, p]) => p.os.includes(process.platform) && p.cpu.includes(process.arch))
  .filter(([path, p]) => {
    const musl = /musl/.test(path) || (p.libc ?? []).includes('musl');
    return process.platform !== 'linux' || musl !== glibc;
  })
  .map(([path, p]) => `${path.slice('node_modules/'.length)}@${p.version}`);
if (natives.length > 0) run(['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...natives]);

writeFileSync(stamp, want);
if (!quiet) console.log(`promptfoo installed (tools/promptfoo${natives.length ? `, with ${natives.join(', ')}` : ''})`);
