// A gate refusal (409) carries only a message: "promotion refused by the gate: detail; detail".
// The failed checks' details are the parts after the colon; each detail ends with a full stop and
// may itself contain "; ", so only ".; " separates two details.
export function refusalDetails(message: string): string[] {
  const prefix = 'promotion refused by the gate:';
  if (!message.startsWith(prefix)) return [];
  return message
    .slice(prefix.length)
    .split(/(?<=\.);\s+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A run with failed cases is refused before the gate, and forcing does not help (server/promotion/configs.ts). */
export function isIncompleteRunRefusal(message: string): boolean {
  return /^promotion refused: run \S+ is incomplete: /.test(message);
}
