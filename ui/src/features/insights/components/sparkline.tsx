// The daily dialogue count of one intent over the weeks before an alert, its day marked.
import { Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';

export function Sparkline({ data, mark, label }: { data: readonly { day: string; count: number }[]; mark: string; label: string }) {
  const peak = Math.max(1, ...data.map((d) => d.count));
  return (
    <div className="insights-sparkline" role="img" aria-label={label} title={label} data-testid="sparkline" data-days={data.length}>
      <LineChart width={150} height={34} data={data as { day: string; count: number }[]} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <XAxis dataKey="day" hide />
        <YAxis hide domain={[0, peak]} />
        <ReferenceLine x={mark} stroke="#b42318" strokeDasharray="2 2" />
        <Line dataKey="count" stroke="#2457d6" strokeWidth={1.4} dot={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
