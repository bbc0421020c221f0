// One metric over time: a line per group at the mean and a shaded band for its 95% interval
// (recharts Area over [low, high]); optional vertical markers (e.g. a promotion).
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatScaled } from '../utils/format-insights.ts';
import type { ChartRow, ChartScale } from '../utils/trend-series.ts';

export const SERIES_COLORS = ['#1d2330', '#2457d6', '#2e9e6b', '#d68a1f', '#9b51c9', '#c2410c', '#0e7490', '#be185d', '#4d7c0f', '#6b7280'];

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
  /** Drawn thicker (every dialogue together). */
  bold?: boolean;
}

export interface ChartMarker {
  x: string;
  label: string;
}

interface TooltipProps {
  active?: boolean;
  label?: string | number;
  payload?: readonly { payload?: ChartRow }[];
  series: readonly ChartSeries[];
  scale: ChartScale;
}

function IntervalTooltip({ active, label, payload, series, scale }: TooltipProps) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="insights-tooltip">
      <strong>{label}</strong>
      {series.map((s) => {
        const value = row[s.key];
        const band = row[`${s.key}_band`];
        if (typeof value !== 'number') return null;
        return (
          <div key={s.key}>
            <span className="insights-swatch" style={{ background: s.color }} /> {s.name}: {formatScaled(value, scale)}
            {Array.isArray(band) && ` [${formatScaled(band[0], scale)}, ${formatScaled(band[1], scale)}]`}
          </div>
        );
      })}
    </div>
  );
}

export function TrendChart({
  title,
  rows,
  series,
  scale,
  markers = [],
  height = 200,
  testId,
}: {
  title: string;
  rows: readonly ChartRow[];
  series: readonly ChartSeries[];
  scale: ChartScale;
  markers?: readonly ChartMarker[];
  height?: number;
  testId?: string;
}) {
  const share = scale === 'share';
  return (
    <figure className="insights-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={rows as ChartRow[]} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis
            tick={{ fontSize: 11 }}
            width={48}
            domain={share ? [0, 1] : [0, 'auto']}
            tickFormatter={(v: number) => formatScaled(v, scale)}
            allowDecimals={scale !== 'count'}
          />
          <Tooltip content={(props) => <IntervalTooltip active={props.active} label={props.label} payload={props.payload as TooltipProps['payload']} series={series} scale={scale} />} />
          {series.map((s) => (
            <Area key={`${s.key}-band`} dataKey={`${s.key}_band`} stroke="none" fill={s.color} fillOpacity={0.14} isAnimationActive={false} connectNulls={false} legendType="none" tooltipType="none" activeDot={false} />
          ))}
          {series.map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={s.bold ? 2.4 : 1.6} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
          ))}
          {markers.map((m) => (
            <ReferenceLine key={`${m.x}-${m.label}`} x={m.x} stroke="#b42318" strokeDasharray="4 3" label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: '#b42318' }} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
