// Types for bin/typescript.mjs (plain JavaScript: it runs before any TypeScript can).
export function importTypeScript(url: string, options?: { background?: boolean; bundle?: boolean; inline?: readonly string[]; sourceMaps?: boolean; cacheDir?: string }): Promise<unknown>;
export function bundled(entry: string, cacheDir: string, options?: { inline?: readonly string[] }): Promise<string>;
