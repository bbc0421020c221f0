// GET /api/runs/:id/events (text/event-stream). EventSource cannot send the Authorization header,
// so this reads the stream with fetch and parses the `data:` events.
import { ApiError } from '../../../lib/api-client.ts';
import { Progress } from '../../../lib/contract.ts';
import { sessionStore } from '../../../lib/session.tsx';
import { createSseParser } from '../utils/sse.ts';

/** Resolves with the last progress event when the stream ends. */
export async function streamRunEvents(runId: string, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Progress | null> {
  const key = sessionStore.getApiKey();
  const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/events`, {
    headers: { accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    signal,
  });
  if (!response.ok || !response.body) throw new ApiError(response.status, `http_${response.status}`, `${response.status} ${response.statusText}`.trim());
  let last: Progress | null = null;
  const feed = createSseParser((data) => {
    const parsed = Progress.safeParse(JSON.parse(data));
    if (!parsed.success) return;
    last = parsed.data;
    onProgress(parsed.data);
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    feed(value);
  }
  return last;
}
