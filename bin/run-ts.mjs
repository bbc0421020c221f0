#!/usr/bin/env node
// Runs a TypeScript file (benchmarks, one-off scripts) through tsx's loader.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { importTypeScript } from './typescript.mjs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs FILE [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...rest];
await importTypeScript(pathToFileURL(resolve(file)).href);
