import { useId } from 'react';
import type { PaceInput } from '../../../shared/campaigns';
import { useI18n } from '../../i18n/i18n';

type Custom = Extract<PaceInput, { preset: 'custom' }>;
type Range = [number, number];

/** A number field under its label; `scale` shows milliseconds as seconds. */
function NumberField(props: { label: string; value: number; min: number; max?: number; scale?: number; onChange(value: number): void }) {
  const id = useId();
  const scale = props.scale ?? 1;
  return (
    <div className="pace-field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} type="number" min={props.min} max={props.max} value={props.value / scale} onChange={(e) => props.onChange(Number(e.target.value) * scale)} />
    </div>
  );
}

/** A from–to pair under one label, each input named for screen readers. */
function RangeField(props: { label: string; value: Range; min: number; scale?: number; onChange(value: Range): void }) {
  const { t } = useI18n();
  const id = useId();
  const scale = props.scale ?? 1;
  const [from, to] = props.value;
  return (
    <div className="pace-field" role="group" aria-labelledby={id}>
      <span className="label" id={id}>{props.label}</span>
      <span className="pace-range">
        {t('campaigns.wizard.rangeFrom')}
        <input type="number" min={props.min} value={from / scale} aria-label={`${props.label}: ${t('campaigns.wizard.rangeFrom')}`} onChange={(e) => props.onChange([Number(e.target.value) * scale, to])} />
        {t('campaigns.wizard.rangeTo')}
        <input type="number" min={props.min} value={to / scale} aria-label={`${props.label}: ${t('campaigns.wizard.rangeTo')}`} onChange={(e) => props.onChange([from, Number(e.target.value) * scale])} />
      </span>
    </div>
  );
}

/** The "Personalizado" pace: each limit on its own row, label above its inputs, inside the card at any width. */
export function CustomPace({ pace, onChange }: { pace: Custom; onChange(patch: Partial<Custom>): void }) {
  const { t } = useI18n();
  return (
    <div className="pace-grid" data-testid="pace-custom-form">
      <NumberField label={t('campaigns.wizard.perMinute')} value={pace.perMinute} min={1} max={100} onChange={(v) => onChange({ perMinute: Math.min(100, v) })} />
      <RangeField label={t('campaigns.wizard.gap')} value={pace.gapMs} min={0} scale={1000} onChange={(gapMs) => onChange({ gapMs })} />
      <RangeField label={t('campaigns.wizard.batch')} value={pace.batch} min={1} onChange={(batch) => onChange({ batch })} />
      <RangeField label={t('campaigns.wizard.pause')} value={pace.pauseMs} min={0} scale={1000} onChange={(pauseMs) => onChange({ pauseMs })} />
      <NumberField label={t('campaigns.wizard.dailyCap')} value={pace.dailyCap} min={1} max={6000} onChange={(v) => onChange({ dailyCap: Math.min(6000, v) })} />
    </div>
  );
}
