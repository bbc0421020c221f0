// A share and its 95% interval drawn on a 0-100% track, so channels can be compared at a glance.
export function IntervalBar({ value, low, high, highlight }: { value: number; low: number | null; high: number | null; highlight?: 'best' | 'worst' }) {
  const pct = (x: number) => `${Math.max(0, Math.min(1, x)) * 100}%`;
  return (
    <span className={`insights-interval${highlight ? ` insights-interval-${highlight}` : ''}`} aria-hidden="true">
      {low !== null && high !== null && <span className="insights-interval-range" style={{ left: pct(low), width: `calc(${pct(high)} - ${pct(low)})` }} />}
      <span className="insights-interval-mean" style={{ left: pct(value) }} />
    </span>
  );
}
