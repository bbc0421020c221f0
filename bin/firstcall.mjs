#!/usr/bin/env node
// The `firstcall` command: its TypeScript from a cached bundle (bin/typescript.mjs), else through tsx's loader; no build step.
import { importTypeScript } from './typescript.mjs';

const { main } = await importTypeScript(new URL('../scripts/cli.ts', import.meta.url).href, { bundle: true, sourceMaps: true });
process.exitCode = await main(process.argv.slice(2));
