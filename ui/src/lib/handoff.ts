// The agent's `[[handoff:queue]]` marker (server/domain/eval.ts HANDOFF_MARKER): never shown raw,
// the UI takes it out of the text and shows a hand-off badge with the queue instead.
const MARKER = /\[\[\s*handoff(?:\s*:\s*([a-z0-9_-]+))?\s*\]\]/gi;

export interface SplitReply {
  /** The reply without any marker. */
  text: string;
  /** The queue the reply hands off to (`human` when the marker names none); null: no hand-off. */
  queue: string | null;
}

export function splitHandoff(text: string): SplitReply {
  let queue: string | null = null;
  const stripped = text.replace(MARKER, (_whole, name: string | undefined) => {
    queue ??= (name ?? 'human').toLowerCase();
    return '';
  });
  return { text: stripped.replace(/[ \t]+\n/g, '\n').trim(), queue };
}
