// How firstcall runs its TypeScript sources (no build step): through tsx's loader, whose hooks see every
// module imported after it is registered, each with a round trip to the loader's own thread. zod, which
// every domain schema imports, is loaded first through Node's own loader (the same module instance the
// sources get): through the hooks its files took about a third of a worker thread's start-up, ~90 ms
// of CPU for each thread (the eval's scoring worker, the ingest and fine-tuning workers, the CLI).
//
// A background worker thread (ingest staging, reply scoring) runs below the threads that serve
// requests and drive model calls, so that on a machine with few cores a busy background thread gives
// up its core as soon as a foreground one has work. Its priority is lowered before anything is loaded:
// its start-up (~0.5 CPU s through the loader) is then background work too, and the loader's own
// thread, started by `register()`, inherits it. On Linux `os.setPriority(n)` without a pid sets the
// calling thread's own niceness; elsewhere (macOS, Windows) it would lower the whole process, the
// server's event loop included, so there the thread keeps the normal priority, as it does where
// lowering it is not permitted.
import { setPriority } from 'node:os';
import { register } from 'tsx/esm/api';

const BACKGROUND_NICENESS = 10;

/** Registers the loader for this thread and imports the module at `url` (a file URL); `background` lowers the thread's priority first. */
export async function importTypeScript(url, { background = false } = {}) {
  if (background && process.platform === 'linux') {
    try {
      setPriority(BACKGROUND_NICENESS);
    } catch {
      // not permitted here
    }
  }
  await import('zod');
  register();
  return import(url);
}
