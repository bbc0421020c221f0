// Background worker threads (ingest staging, reply scoring) run below the threads that serve requests
// and drive model calls: on a machine with few cores a busy background thread then gives up its core
// as soon as a foreground thread has work. On Linux `os.setPriority(n)` without a pid sets the
// calling thread's own niceness, so this touches only the worker that calls it.
import { setPriority } from 'node:os';

export const BACKGROUND_NICENESS = 10;

/** Lowers the calling thread's priority; false where that is not permitted (it then runs at the normal one). */
export function runInBackground(niceness = BACKGROUND_NICENESS): boolean {
  try {
    setPriority(niceness);
    return true;
  } catch {
    return false;
  }
}
