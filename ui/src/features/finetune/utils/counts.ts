// Count tables of the data card: largest first, ties by name.
export function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
