import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { CampaignInput, Estimate, PaceInput } from '../../shared/campaigns';
import type { Analysis, Template } from '../../shared/messages';
import { fromWallClock, toWallClock } from '../../shared/time-zone';
import { api } from '../api/client';
import { CustomPace } from '../components/campaigns/CustomPace';
import { formatWhatsApp } from '../components/messages/whatsapp-format';
import { formatWhen } from '../format';
import { errorText, useI18n } from '../i18n/i18n';
import { useAppState } from '../state/app-state';
import { useLists } from '../state/use-lists';
import { useNumbers } from '../state/use-numbers';

const STEPS = ['name', 'message', 'lists', 'numbers', 'pace', 'when', 'summary'] as const;
type Step = (typeof STEPS)[number];
const PRESETS = ['standard', 'careful', 'new_number', 'custom'] as const;
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The campaign wizard, one decision per step, ending with what will happen and how risky it is. */
export function CampaignWizardPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const { settings } = useAppState();
  const { lists } = useLists();
  const { numbers } = useNumbers();
  const connected = (numbers ?? []).filter((n) => n.state === 'connected');
  const [step, setStep] = useState<Step>('name');
  const [templates, setTemplates] = useState<Template[]>([]);
  const [name, setName] = useState('');
  const [templateId, setTemplateId] = useState<number | null>(null);
  const [body, setBody] = useState('');
  const [mediaId, setMediaId] = useState<string | null>(null);
  const [include, setInclude] = useState<number[]>([]);
  const [exclude, setExclude] = useState<number[]>([]);
  const [numberIds, setNumberIds] = useState<string[]>([]);
  const [pace, setPace] = useState<PaceInput>({ preset: 'standard' });
  const [startAt, setStartAt] = useState<string>('');
  const [windowOn, setWindowOn] = useState(false);
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5, 6]);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('20:00');
  const [analysis, setAnalysis] = useState<Analysis>();
  const [estimate, setEstimate] = useState<Estimate>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.call('templates.list', {}).then(setTemplates, () => undefined);
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => void api.call('messages.analyze', { body }).then(setAnalysis, () => undefined), 200);
    return () => clearTimeout(timer);
  }, [body]);

  const input = (): CampaignInput => ({
    name: name.trim(),
    templateId,
    body,
    mediaId,
    includeListIds: include,
    excludeListIds: exclude,
    numberIds,
    settings: {
      pace,
      window: windowOn ? { days, startMinute: toMinutes(from), endMinute: toMinutes(to) } : null,
      timeZone: settings.timeZone,
      // The date and time the user typed are on the clock of their time zone in Settings, like the window.
      startAt: startAt ? fromWallClock(startAt, settings.timeZone) : null,
    },
  });

  const valid: Record<Step, boolean> = {
    name: name.trim() !== '',
    message: body.trim() !== '' && (analysis?.errors.length ?? 1) === 0,
    lists: include.length > 0,
    numbers: numberIds.length > 0,
    pace: true,
    when: !windowOn || (days.length > 0 && toMinutes(to) > toMinutes(from)),
    summary: (estimate?.toSend ?? 0) > 0,
  };
  const index = STEPS.indexOf(step);
  const go = async (next: Step) => {
    setError(undefined);
    if (next === 'summary') {
      try {
        setEstimate(await api.call('campaigns.estimate', input()));
      } catch (e) {
        setError(errorText(t, e));
        return;
      }
    }
    setStep(next);
  };
  const launch = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.call('campaigns.create', input());
      const launched = await api.call('campaigns.launch', { id: created.id });
      void navigate(`/campanas/${launched.id}`);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (list: number[], value: number) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const weekdays = t('campaigns.wizard.days').split(' ');
  const custom = pace.preset === 'custom' ? pace : null;
  const setCustom = (patch: Partial<Extract<PaceInput, { preset: 'custom' }>>) => custom && setPace({ ...custom, ...patch });

  return (
    <section className="page" data-testid="page-wizard">
      <header className="page-header">
        <h1>{t('campaigns.wizard.title')}</h1>
      </header>
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i === index ? 'current' : i < index ? 'done' : ''} aria-current={i === index ? 'step' : undefined}>
            {t(`campaigns.wizard.steps.${s}`)}
          </li>
        ))}
      </ol>
      <div className="card wizard-body" data-testid={`wizard-${step}`}>
        {step === 'name' && (
          <div className="field">
            <label htmlFor="campaign-name">{t('campaigns.wizard.name')}</label>
            <input id="campaign-name" type="text" value={name} placeholder={t('campaigns.wizard.namePlaceholder')} onChange={(e) => setName(e.target.value)} data-testid="campaign-name" />
          </div>
        )}
        {step === 'message' && (
          <>
            <div className="field">
              <label htmlFor="campaign-template">{t('campaigns.wizard.useTemplate')}</label>
              <select
                id="campaign-template"
                value={templateId ?? ''}
                onChange={(e) => {
                  const chosen = templates.find((x) => x.id === Number(e.target.value));
                  setTemplateId(chosen?.id ?? null);
                  if (chosen) {
                    setBody(chosen.body);
                    setMediaId(chosen.media?.id ?? null);
                  }
                }}
                data-testid="campaign-template"
              >
                <option value="">{t('campaigns.wizard.noTemplate')}</option>
                {templates.map((x) => (
                  <option key={x.id} value={x.id}>{x.name}</option>
                ))}
              </select>
            </div>
            <label htmlFor="campaign-body">{t('campaigns.wizard.body')}</label>
            <textarea id="campaign-body" rows={6} value={body} onChange={(e) => { setBody(e.target.value); setTemplateId(null); }} data-testid="campaign-body" className="wide-textarea" />
            {analysis && analysis.errors.length > 0 && <p className="banner banner-error">{t('campaigns.wizard.templateErrors')}</p>}
            <p className="hint">{t('campaigns.wizard.editInMessages')}</p>
            {body && <div className="chat"><div className="bubble"><div className="bubble-text">{formatWhatsApp(body)}</div></div></div>}
          </>
        )}
        {step === 'lists' && (
          <div className="two-columns">
            <fieldset className="checks-group">
              <legend>{t('campaigns.wizard.include')}</legend>
              {lists.map((l) => (
                <label key={l.id}>
                  <input type="checkbox" checked={include.includes(l.id)} onChange={() => { setInclude(toggle(include, l.id)); setExclude(exclude.filter((x) => x !== l.id)); }} data-testid={`include-${l.id}`} data-list-name={l.name} />
                  {l.name} <span className="muted">({l.count})</span>
                </label>
              ))}
            </fieldset>
            <fieldset className="checks-group">
              <legend>{t('campaigns.wizard.exclude')}</legend>
              {lists.filter((l) => !include.includes(l.id)).map((l) => (
                <label key={l.id}>
                  <input type="checkbox" checked={exclude.includes(l.id)} onChange={() => setExclude(toggle(exclude, l.id))} />
                  {l.name} <span className="muted">({l.count})</span>
                </label>
              ))}
            </fieldset>
          </div>
        )}
        {step === 'numbers' && (
          <fieldset className="checks-group">
            <legend>{t('campaigns.wizard.numbers')}</legend>
            {connected.length === 0 && <p className="banner banner-warning">{t('campaigns.wizard.noNumbers')}</p>}
            {connected.map((n) => (
              <label key={n.id}>
                <input type="checkbox" checked={numberIds.includes(n.id)} onChange={() => setNumberIds(numberIds.includes(n.id) ? numberIds.filter((x) => x !== n.id) : [...numberIds, n.id])} data-testid="campaign-number" />
                {n.label} <span className="muted">{n.phone}</span>
              </label>
            ))}
            <p className="hint">{t('campaigns.wizard.numbersHelp')}</p>
          </fieldset>
        )}
        {step === 'pace' && (
          <fieldset className="checks-group">
            {PRESETS.map((p) => (
              <label key={p}>
                <input
                  type="radio"
                  name="pace"
                  checked={pace.preset === p}
                  onChange={() => setPace(p === 'custom' ? { preset: 'custom', perMinute: 20, gapMs: [2000, 5000], batch: [20, 40], pauseMs: [60_000, 180_000], dailyCap: 1000 } : { preset: p })}
                  data-testid={`pace-${p}`}
                />
                {t(`campaigns.wizard.presets.${p}`)}
              </label>
            ))}
            {custom && <CustomPace pace={custom} onChange={setCustom} />}
            <p className="hint">{t('campaigns.wizard.hardLimits')}</p>
          </fieldset>
        )}
        {step === 'when' && (
          <div className="checks-group">
            <label><input type="radio" name="when" checked={startAt === ''} onChange={() => setStartAt('')} data-testid="start-now" />{t('campaigns.wizard.startNow')}</label>
            <label><input type="radio" name="when" checked={startAt !== ''} onChange={() => setStartAt(toWallClock(Date.now() + 3_600_000, settings.timeZone))} data-testid="start-later" />{t('campaigns.wizard.startLater')}</label>
            {startAt !== '' && <input type="datetime-local" aria-label={t('campaigns.wizard.startAt')} value={startAt} onChange={(e) => setStartAt(e.target.value)} data-testid="start-at" />}
            <label><input type="checkbox" checked={windowOn} onChange={() => setWindowOn(!windowOn)} data-testid="window-on" />{t('campaigns.wizard.window')}</label>
            {windowOn && (
              <div className="window-box">
                <div className="days">
                  {weekdays.map((d, i) => (
                    <label key={i} className="day"><input type="checkbox" checked={days.includes(i)} onChange={() => setDays(toggle(days, i))} data-testid={`window-day-${i}`} />{d}</label>
                  ))}
                </div>
                <span className="inline-form">
                  {t('campaigns.wizard.windowFrom')} <input type="time" value={from} onChange={(e) => setFrom(e.target.value || toHhmm(540))} aria-label={t('campaigns.wizard.windowFrom')} data-testid="window-from" />
                  {t('campaigns.wizard.windowTo')} <input type="time" value={to} onChange={(e) => setTo(e.target.value || toHhmm(1200))} aria-label={t('campaigns.wizard.windowTo')} data-testid="window-to" />
                </span>
              </div>
            )}
            <p className="hint">{t('campaigns.wizard.timeZone', { zone: settings.timeZone })}</p>
          </div>
        )}
        {step === 'summary' && estimate && (
          <div data-testid="campaign-summary">
            <h2>{t('campaigns.wizard.summaryTitle')}</h2>
            <div className="figures">
              <div className="figure figure-imported"><span className="figure-value" data-testid="summary-to-send">{estimate.toSend}</span><span className="figure-label">{t('campaigns.wizard.toSend')}</span></div>
              <div className="figure"><span className="figure-value">{estimate.contacts}</span><span className="figure-label">{t('campaigns.wizard.contacts')}</span></div>
            </div>
            <ul className="skips">
              {Object.entries(estimate.skipped).filter(([, n]) => n > 0).map(([reason, n]) => (
                <li key={reason} data-testid={`skip-${reason}`}>{t('campaigns.wizard.skipped')}: {n} {t(`campaigns.wizard.skipReasons.${reason}`)}</li>
              ))}
            </ul>
            <p data-testid="summary-finish">{estimate.estimatedFinish ? t('campaigns.wizard.finish', { when: formatWhen(estimate.estimatedFinish, language) }) : t('campaigns.wizard.finishUnknown')}</p>
            <div className={`risk risk-${estimate.risk.level}`} data-testid="risk" data-level={estimate.risk.level}>
              <strong>{t('campaigns.wizard.risk')}: {t(`campaigns.wizard.riskLevels.${estimate.risk.level}`)}</strong>
              <meter min={0} max={3} low={1.5} high={2.5} optimum={0} value={{ low: 1, medium: 2, high: 3 }[estimate.risk.level]} />
              <ul>{estimate.risk.reasons.map((r) => <li key={r}>{t(`campaigns.wizard.riskReasons.${r}`)}</li>)}</ul>
            </div>
            <p className="banner banner-warning">{t('campaigns.wizard.testReminder')}</p>
          </div>
        )}
      </div>
      {error && <p role="alert" className="banner banner-error" data-testid="wizard-error">{error}</p>}
      <div className="actions">
        {index > 0 && <button type="button" className="button-secondary" onClick={() => setStep(STEPS[index - 1] ?? 'name')}>{t('campaigns.wizard.back')}</button>}
        {step !== 'summary' ? (
          <button type="button" disabled={!valid[step]} onClick={() => void go(STEPS[index + 1] ?? 'summary')} data-testid="wizard-next">{t('campaigns.wizard.next')}</button>
        ) : (
          <button type="button" disabled={busy || !valid.summary} onClick={() => void launch()} data-testid="launch">
            {startAt ? t('campaigns.wizard.schedule') : t('campaigns.wizard.launch')}
          </button>
        )}
      </div>
    </section>
  );
}
