// `firstcall insights`: runs early-warning detection (spikes per intent and product, new topics, FCR
// and CSAT drops), sends new alerts to the configured webhook, prints the weekly trends and the open
// alerts — what /api/insights/* answers — and exits 1 while alerts are open (for cron).
import { z } from 'zod';
import { SOURCES } from '../../server/domain/dialogue.ts';
import type { Estimate, TrendPoint } from '../../server/domain/trends.ts';
import { TREND_GROUPS, TREND_PERIODS } from '../../server/domain/trends.ts';
import { alertLine } from '../../server/insights/alerts-format.ts';
import { InsightsService } from '../../server/services/insights.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

const fmt = (e: Estimate | null, percent = true) => {
  if (e === null) return '–';
  const f = (x: number) => (percent ? `${Math.round(x * 100)}` : x.toFixed(1));
  return e.low === null || e.high === null ? `${f(e.value)}` : `${f(e.value)} [${f(e.low)}–${f(e.high)}]`;
};

export function renderTrendRows(points: readonly TrendPoint[]): string[] {
  const lines = ['   period     volume  FCR %            automation %     hand-off %      repeat %      CSAT %           turns'];
  for (const p of points) {
    const m = p.metrics;
    lines.push(
      `   ${p.label.padEnd(10)} ${String(p.volume).padStart(6)}  ${fmt(m.fcr).padEnd(16)} ${fmt(m.automation_rate).padEnd(16)} ${fmt(m.handoff_rate).padEnd(15)} ${fmt(m.repeat_contact_rate).padEnd(13)} ${fmt(m.csat).padEnd(16)} ${fmt(m.turns_to_resolution, false)}`,
    );
  }
  return lines;
}

export const insightsCommand = defineCommand({
  name: 'insights',
  description: 'early warning (spikes per intent and product, new topics, FCR and CSAT drops) and trends; exits 1 while alerts are open',
  options: [
    { flags: '--since <YYYY-MM-DD>', help: 'first day to evaluate (default: the last alert_lookback_days days of the store)' },
    { flags: '--by <day|week>', help: 'trend periods', default: 'week', choices: TREND_PERIODS },
    { flags: '--group <channel|language|intent|source>', help: 'trend groups in --json', default: 'channel', choices: TREND_GROUPS },
    { flags: '--source <source>', help: 'trends of one source only, e.g. production (the bot’s own traffic)', choices: SOURCES },
    { flags: '--json', help: 'print {alerts, detection, trends} as JSON' },
    { flags: '--alerts-only', help: 'leave the trends out' },
    { flags: '--no-notify', help: 'do not send new alerts to the webhook' },
  ],
  args: z.object({
    since: z.iso.date({ message: '--since must be a date (YYYY-MM-DD)' }).optional(),
    by: z.enum(TREND_PERIODS).default('week'),
    group: z.enum(TREND_GROUPS).default('channel'),
    source: z.enum(SOURCES).optional(),
    json: z.boolean().default(false),
    alertsOnly: z.boolean().default(false),
    notify: z.boolean().default(true),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const service = new InsightsService(await openStore());
    const detection = await service.detect({ since: args.since, notify: args.notify });
    const trends = args.alertsOnly ? null : await service.trends({ by: args.by, group: args.group, source: args.source });
    const alerts = detection.open;
    if (args.json) {
      io.out(JSON.stringify({ alerts, detection, trends }));
    } else {
      if (trends) {
        const overall = trends.points.filter((p) => p.group === null).slice(args.by === 'week' ? -8 : -14);
        io.out(`trends by ${args.by}, all channels${args.source ? `, source ${args.source}` : ''} (95% intervals; FCR and repeat contacts once the ${trends.window_days}-day window has passed):`);
        for (const line of renderTrendRows(overall)) io.out(line);
      }
      io.out(`detection over ${detection.from ?? '–'} .. ${detection.to ?? '–'}: ${detection.tests.spike} spike tests, ${detection.tests.fcr_drop} FCR and ${detection.tests.csat_drop} CSAT drop tests`);
      io.out(`  ${detection.false_alarm_control}`);
      if (alerts.length === 0) io.out('no open alerts');
      for (const a of alerts) io.out(`  ${a.id}  ${alertLine(a)}\n      examples: ${a.example_ids.join(', ') || '–'}`);
      for (const d of detection.deliveries) io.out(`  webhook ${d.ok ? 'delivered' : 'FAILED'} ${d.alert_id} after ${d.attempts} attempt(s)${d.error ? ` (${d.error})` : ''}`);
    }
    return alerts.length > 0 ? EXIT.failed : EXIT.ok;
  },
});
