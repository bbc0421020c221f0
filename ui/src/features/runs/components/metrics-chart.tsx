// Composite / FCR / accuracy / tone per candidate: bars at the mean with the 95% interval as error bars.
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { RunRow } from '../../../lib/contract.ts';
import { CHART_METRICS, chartRows } from '../utils/metrics.ts';

const COLORS: Record<(typeof CHART_METRICS)[number], string> = { composite: '#3459d6', fcr: '#2e9e6b', accuracy: '#d68a1f', tone: '#9b51c9' };

export function MetricsChart({ entries }: { entries: readonly RunRow[] }) {
  const { t } = useI18n();
  const data = chartRows(entries);
  return (
    <div className="metrics-chart" data-testid="metrics-chart">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="candidate" />
          <YAxis domain={[0, 1]} tickCount={6} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} />
          <Legend />
          {CHART_METRICS.map((name) => (
            <Bar key={name} dataKey={name} name={t(`runs.metric.${name}`)} fill={COLORS[name]} isAnimationActive={false}>
              <ErrorBar dataKey={`${name}_err`} isAnimationActive={false} width={6} strokeWidth={1.5} stroke="#222" direction="y" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
