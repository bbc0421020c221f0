#!/usr/bin/env node
// The `firstcall` command: TypeScript sources run through tsx's loader, no build step.
import { importTypeScript } from './typescript.mjs';

const { main } = await importTypeScript(new URL('../scripts/cli.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
