// Text that may hold JSON (a logged tool output, a job's stored result): the parsed value, or the
// text itself when it is not JSON.
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
