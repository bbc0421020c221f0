// Composite / FCR / accuracy / tone per candidate (goal success / FCR / tone / escalation for conversation runs): bars at the mean with the 95% interval as error bars.
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { RunRow } from '../../../lib/contract.ts';
import { CHART_METRICS, chartRows, legendOrder, type ChartMetric } from '../utils/metrics.ts';

const COLORS: Record<ChartMetric, string> = { composite: '#3459d6', fcr: '#2e9e6b', accuracy: '#d68a1f', tone: '#9b51c9', goal_success: '#3459d6', escalation: '#d68a1f' };

export function MetricsChart({ entries, metrics = CHART_METRICS }: { entries: readonly RunRow[]; metrics?: readonly ChartMetric[] }) {
  const { t } = useI18n();
  const data = chartRows(entries, metrics);
  return (
    <div className="metrics-chart" data-testid="metrics-chart">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="candidate" />
          <YAxis domain={[0, 1]} tickCount={6} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} />
          {/* Recharts sorts legend items by name unless told otherwise: keep the bars' order. */}
          <Legend itemSorter={(item) => legendOrder(metrics, item.dataKey)} />
          {metrics.map((name) => (
            <Bar key={name} dataKey={name} name={t(`runs.metric.${name}`)} fill={COLORS[name]} isAnimationActive={false}>
              <ErrorBar dataKey={`${name}_err`} isAnimationActive={false} width={6} strokeWidth={1.5} stroke="#222" direction="y" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
