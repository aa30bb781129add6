import { CategoryScale, Chart, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';
import { Line } from 'react-chartjs-2';
import type { Report } from '../../../shared/reports';
import { useI18n } from '../../i18n/i18n';

Chart.register(CategoryScale, LinearScale, PointElement, LineElement, Legend, Tooltip);

/** Sends, deliveries and reads per time bucket, drawn by Chart.js. */
export function TimelineChart({ timeline }: { timeline: Report['timeline'] }) {
  const { t, language } = useI18n();
  const labels = timeline.sent.map((_, i) =>
    new Date(timeline.start + i * timeline.bucketMs).toLocaleTimeString(language === 'es' ? 'es-MX' : 'en-US', { hour: '2-digit', minute: '2-digit' }),
  );
  const series = [
    { key: 'sent', data: timeline.sent, color: '#27466e' },
    { key: 'delivered', data: timeline.delivered, color: '#1fa855' },
    { key: 'read', data: timeline.read, color: '#0b3d35' },
  ] as const;
  return (
    <div className="chart" data-testid="report-chart">
      <Line
        aria-label={t('report.chart')}
        data={{ labels, datasets: series.map((s) => ({ label: t(`report.series.${s.key}`), data: [...s.data], borderColor: s.color, backgroundColor: s.color, tension: 0.25, pointRadius: 2 })) }}
        options={{ responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
      />
    </div>
  );
}
