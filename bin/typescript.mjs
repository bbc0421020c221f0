// How firstcall runs its TypeScript sources (no build step): through tsx's loader, whose hooks see every
// module imported after it is registered, each with a round trip to the loader's own thread. zod, which
// every domain schema imports, is loaded first through Node's own loader (the same module instance the
// sources get): through the hooks its files took about a third of a worker thread's start-up, ~90 ms
// of CPU for each thread (the eval's scoring worker, the ingest and fine-tuning workers, the CLI).
import { register } from 'tsx/esm/api';

/** Registers the loader for this thread and imports the module at `url` (a file URL). */
export async function importTypeScript(url) {
  await import('zod');
  register();
  return import(url);
}
