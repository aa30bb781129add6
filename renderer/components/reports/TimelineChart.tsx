import { Chart, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Line } from 'react-chartjs-2';
import type { Report } from '../../../shared/reports';
import { useI18n } from '../../i18n/i18n';
import { cumulative, timeStep } from './chart-axis';

Chart.register(LinearScale, PointElement, LineElement, Legend, Tooltip, Filler);

/**
 * How many had been sent, delivered and read by each moment of the campaign (running totals on a time axis),
 * drawn by Chart.js: stepped lines in WhatsApp's own colours (grey sent, green delivered, blue read).
 */
export function TimelineChart({ timeline }: { timeline: Report['timeline'] }) {
  const { t, language } = useI18n();
  const locale = language === 'es' ? 'es-MX' : 'en-US';
  const at = (i: number) => timeline.start + i * timeline.bucketMs;
  const span = Math.max(timeline.bucketMs, (timeline.sent.length - 1) * timeline.bucketMs);
  const step = timeStep(span);
  const format = (ms: number) =>
    new Date(ms).toLocaleString(locale, {
      ...(span > 86_400_000 ? { day: 'numeric', month: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      ...(step < 60_000 ? { second: '2-digit' } : {}),
    });
  const series = [
    { key: 'sent', data: timeline.sent, color: '#667781', dash: [6, 4] },
    { key: 'delivered', data: timeline.delivered, color: '#1fa855', dash: [] },
    { key: 'read', data: timeline.read, color: '#1d9bd1', dash: [] },
  ] as const;
  return (
    <div className="chart" data-testid="report-chart">
      <Line
        aria-label={t('report.chart')}
        data={{
          datasets: series.map((s) => ({
            label: t(`report.series.${s.key}`),
            data: cumulative(s.data).map((y, i) => ({ x: at(i), y })),
            borderColor: s.color,
            backgroundColor: s.color,
            borderDash: [...s.dash],
            borderWidth: 2,
            stepped: 'after' as const,
            pointRadius: 0,
            // The dashed "sent" line on top: where deliveries keep up with it, both stay visible.
            order: s.key === 'sent' ? 0 : 1,
          })),
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: 'index', intersect: false },
          plugins: { tooltip: { callbacks: { title: (items) => format(Number(items[0]?.parsed.x ?? 0)) } } },
          scales: {
            x: { type: 'linear', min: Math.floor(timeline.start / step) * step, max: at(timeline.sent.length - 1), ticks: { stepSize: step, callback: (value) => format(Number(value)), maxRotation: 0 } },
            y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('report.chartTotal') } },
          },
        }}
      />
    </div>
  );
}
