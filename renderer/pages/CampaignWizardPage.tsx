import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { CampaignInput, Estimate, PaceInput } from '../../shared/campaigns';
import type { Analysis, MediaView, Template } from '../../shared/messages';
import { toWallClock } from '../../shared/time-zone';
import { api } from '../api/client';
import { CampaignMessagePreview } from '../components/campaigns/CampaignMessagePreview';
import { CampaignReview } from '../components/campaigns/CampaignReview';
import { CustomPace } from '../components/campaigns/CustomPace';
import { FollowUpPlanner, type FollowUpDraft } from '../components/campaigns/FollowUpPlanner';
import { VersionsEditor, type AbDraft } from '../components/campaigns/VersionsEditor';
import { RepeatPicker, type RepeatDraft } from '../components/campaigns/RepeatPicker';
import { CloudTemplatePicker } from '../components/cloud/CloudTemplatePicker';
import { choiceComplete, type CloudTemplateChoice, type WaTemplate } from '../../shared/cloud';
import { formatPhone, minutesToHhmm } from '../format';
import { errorText, useI18n } from '../i18n/i18n';
import { useAppState } from '../state/app-state';
import { discardDraft } from '../state/campaign-draft';
import { draftOfCampaign, EMPTY_DRAFT, inputOf, saveDraft, STEPS, storedDraft, toMinutes, type Draft, type Step } from './wizard-draft';
import { useLists } from '../state/use-lists';
import { useSegments } from '../state/use-tags';
import { useNumbers } from '../state/use-numbers';

const PRESETS = ['standard', 'careful', 'new_number', 'custom'] as const;

/** The campaign wizard, one decision per step, ending with what will happen and how risky it is. */
export function CampaignWizardPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const copyOf = Number(searchParams.get('copiar')) || null;
  // "Crear campaña con este segmento" (Segmentos): a new campaign with that segment chosen.
  const forSegment = Number(searchParams.get('segmento')) || null;
  const { settings } = useAppState();
  const { lists } = useLists();
  const { segments } = useSegments();
  const { numbers } = useNumbers();
  const [channel, setChannel] = useState<'phone' | 'cloud'>(() => storedDraft()?.channel ?? 'phone');
  const [cloudChoice, setCloudChoice] = useState<CloudTemplateChoice | null>(() => storedDraft()?.cloud ?? null);
  const [cloudTemplate, setCloudTemplate] = useState<WaTemplate | null>(null);
  const hasCloud = (numbers ?? []).some((n) => n.kind === 'cloud');
  // A campaign goes from one kind of number: the Cloud API sends templates, linked phones free text.
  const connected = (numbers ?? []).filter((n) => n.state === 'connected' && (n.kind === 'cloud') === (channel === 'cloud'));
  // A draft left in this browser comes back as it was (a copy of a campaign starts from that campaign instead).
  const [initial] = useState(() => (copyOf || forSegment ? null : storedDraft()));
  const [step, setStep] = useState<Step>(initial ? (initial.step === 'summary' ? 'when' : initial.step) : 'name');
  const [templates, setTemplates] = useState<Template[]>([]);
  const [name, setName] = useState(initial?.name ?? '');
  const [templateId, setTemplateId] = useState<number | null>(initial?.templateId ?? null);
  const [body, setBody] = useState(initial?.body ?? '');
  const [media, setMedia] = useState<MediaView | null>(initial?.media ?? null);
  const [riskAccepted, setRiskAccepted] = useState(false);
  const [consentConfirmed, setConsentConfirmed] = useState(false);
  const [include, setInclude] = useState<number[]>(initial?.include ?? []);
  const [exclude, setExclude] = useState<number[]>(initial?.exclude ?? []);
  const [segmentIds, setSegmentIds] = useState<number[]>(initial?.segmentIds ?? (forSegment ? [forSegment] : []));
  const [numberIds, setNumberIds] = useState<string[]>(initial?.numberIds ?? []);
  const [pace, setPace] = useState<PaceInput>(initial?.pace ?? { preset: 'standard' });
  const [startAt, setStartAt] = useState<string>(initial?.startAt ?? '');
  const [windowOn, setWindowOn] = useState(initial?.windowOn ?? false);
  const [days, setDays] = useState<number[]>(initial?.days ?? [1, 2, 3, 4, 5, 6]);
  const [from, setFrom] = useState(initial?.from ?? '09:00');
  const [to, setTo] = useState(initial?.to ?? '20:00');
  const [skipRecent, setSkipRecent] = useState(initial?.skipRecent ?? true);
  const [warmFirst, setWarmFirst] = useState(initial?.warmFirst ?? false);
  const [followUp, setFollowUp] = useState<FollowUpDraft | null>(initial?.followUp ?? null);
  const [ab, setAb] = useState<AbDraft | null>(initial?.ab ?? null);
  const [repeat, setRepeat] = useState<RepeatDraft | null>(initial?.repeat ?? null);
  const [analysis, setAnalysis] = useState<Analysis>();
  const [estimate, setEstimate] = useState<Estimate>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const [restored, setRestored] = useState(initial !== null);
  const [loaded, setLoaded] = useState(copyOf === null);

  const fill = (d: Draft) => {
    setStep(d.step);
    setName(d.name); setTemplateId(d.templateId); setBody(d.body); setMedia(d.media); setInclude(d.include); setExclude(d.exclude); setSegmentIds(d.segmentIds ?? []);
    setNumberIds(d.numberIds); setPace(d.pace); setStartAt(d.startAt); setWindowOn(d.windowOn); setDays(d.days); setFrom(d.from); setTo(d.to); setSkipRecent(d.skipRecent ?? true); setWarmFirst(d.warmFirst ?? false);
    setChannel(d.channel ?? 'phone'); setCloudChoice(d.cloud ?? null); setFollowUp(d.followUp ?? null); setAb(d.ab ?? null); setRepeat(d.repeat ?? null);
  };

  useEffect(() => {
    api.call('templates.list', {}).then(setTemplates, () => undefined);
    if (copyOf) {
      // "Duplicar": every choice of that campaign, under a new name, from the first step.
      api.call('campaigns.get', { id: copyOf }).then(
        (c) => {
          fill(draftOfCampaign(c, t('campaigns.wizard.copyName', { name: c.name })));
          setLoaded(true);
        },
        () => setLoaded(true),
      );
    }
    // Once, on opening the wizard.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!loaded) return;
    saveDraft({ step, name, templateId, body, media, include, exclude, segmentIds, numberIds, pace, startAt, windowOn, days, from, to, skipRecent, warmFirst, channel, cloud: cloudChoice, followUp, ab, repeat });
  }, [loaded, step, name, templateId, body, media, include, exclude, segmentIds, numberIds, pace, startAt, windowOn, days, from, to, skipRecent, warmFirst, channel, cloudChoice, followUp, ab, repeat]);

  const startOver = () => {
    discardDraft();
    fill(EMPTY_DRAFT);
    setRestored(false);
  };
  useEffect(() => {
    const timer = setTimeout(() => void api.call('messages.analyze', { body }).then(setAnalysis, () => undefined), 200);
    return () => clearTimeout(timer);
  }, [body]);

  const input = (): CampaignInput =>
    inputOf({ step, name, templateId, body, media, include, exclude, segmentIds, numberIds, pace, startAt, windowOn, days, from, to, skipRecent, warmFirst, channel, cloud: cloudChoice, followUp, ab, repeat }, settings.timeZone);

  const valid: Record<Step, boolean> = {
    name: name.trim() !== '',
    message:
      channel === 'cloud'
        ? cloudChoice !== null && cloudChoice.params.every((p) => p !== '') && (cloudTemplate === null || choiceComplete(cloudTemplate, cloudChoice))
        : body.trim() !== '' && (analysis?.errors.length ?? 1) === 0 && (ab === null || ab.variants.every((v) => v.trim() !== '')),
    lists: include.length > 0 || segmentIds.length > 0,
    numbers: numberIds.length > 0,
    pace: pace.preset !== 'custom' || invertedRanges(pace).length === 0,
    when: (!windowOn || (days.length > 0 && toMinutes(to) > toMinutes(from))) && (followUp === null || followUp.body.trim() !== ''),
    summary: (estimate?.toSend ?? 0) > 0 && (estimate?.risk.level !== 'high' || riskAccepted) && ((estimate?.withoutConsent ?? 0) === 0 || consentConfirmed),
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
      if (repeat) {
        // A recurring campaign: the plan is kept and its first run made now (or at its start); the runs are listed in Campañas.
        await api.call('recurring.create', { input: input(), every: repeat.every, capDays: repeat.capDays, ...(consentConfirmed ? { confirmNoConsent: true } : {}) });
        discardDraft();
        void navigate('/campanas');
        return;
      }
      const created = await api.call('campaigns.create', input());
      const launched = await api.call('campaigns.launch', { id: created.id, ...(consentConfirmed ? { confirmNoConsent: true } : {}) });
      discardDraft();
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
      {restored && (
        <p className="banner banner-ok row-between" role="status" data-testid="draft-restored">
          {t('campaigns.wizard.draftRestored')}
          <button type="button" className="button-secondary" onClick={startOver} data-testid="discard-draft">{t('campaigns.wizard.discardDraft')}</button>
        </p>
      )}
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i === index ? 'current' : i < index ? 'done' : 'ahead'} aria-current={i === index ? 'step' : undefined}>
            {/* A step already done can be gone back to; the ones ahead are not buttons and do not look like them (#30 item 7). */}
            {i < index ? (
              <button type="button" className="step-back" onClick={() => void go(s)} data-testid={`step-${s}`}>{t(`campaigns.wizard.steps.${s}`)}</button>
            ) : (
              t(`campaigns.wizard.steps.${s}`)
            )}
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
        {step === 'message' && hasCloud && (
          <fieldset className="checks-group channel-choice" data-testid="campaign-channel">
            <legend>{t('cloud.channel')}</legend>
            <label>
              <input type="radio" name="channel" checked={channel === 'phone'} onChange={() => { setChannel('phone'); setNumberIds([]); if (pace.preset === 'cloud') setPace({ preset: 'standard' }); }} data-testid="channel-phone" />
              {t('cloud.channelPhone')}
            </label>
            <label>
              <input type="radio" name="channel" checked={channel === 'cloud'} onChange={() => { setChannel('cloud'); setNumberIds([]); setTemplateId(null); }} data-testid="channel-cloud" />
              {t('cloud.channelCloud')}
            </label>
          </fieldset>
        )}
        {step === 'message' && channel === 'cloud' && (
          <>
            <CloudTemplatePicker choice={cloudChoice} onChange={(choice, text, template) => { setCloudChoice(choice); setBody(text); setCloudTemplate(template); }} />
            {cloudChoice && body && <CampaignMessagePreview body={body} media={media} listIds={include} segmentIds={segmentIds} />}
          </>
        )}
        {step === 'message' && channel === 'phone' && (
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
                    setMedia(chosen.media);
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
            {body.trim() === '' ? (
              <p className="hint" data-testid="message-empty">{t('campaigns.wizard.messageEmpty')}</p>
            ) : (
              analysis && analysis.errors.length > 0 && <p className="banner banner-error">{t('campaigns.wizard.templateErrors')}</p>
            )}
            {analysis?.checks
              .filter((c) => c.id === 'single_braces' && c.fixedBody !== null)
              .map((c) => (
                <p key={c.id} className="banner banner-warning" data-testid="single-braces">
                  {t('messages.checks.single_braces')}{' '}
                  <button type="button" className="button-secondary" onClick={() => { setBody(c.fixedBody ?? body); setTemplateId(null); }} data-testid="fix-single_braces">{t('messages.fix')}</button>
                </p>
              ))}
            <p className="hint">{t('campaigns.wizard.editInMessages')}</p>
            <CampaignMessagePreview body={body} media={media} listIds={include} segmentIds={segmentIds} showMissing />
            <VersionsEditor value={ab} onChange={setAb} />
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
            <fieldset className="checks-group" data-testid="wizard-segments">
              <legend>{t('campaigns.wizard.segments')}</legend>
              {segments?.length === 0 && <p className="hint">{t('campaigns.wizard.noSegments')}</p>}
              {(segments ?? []).map((x) => (
                <label key={x.id}>
                  <input type="checkbox" checked={segmentIds.includes(x.id)} onChange={() => setSegmentIds(toggle(segmentIds, x.id))} data-testid={`segment-include-${x.id}`} data-segment-name={x.name} />
                  {x.name}
                </label>
              ))}
              {segmentIds.length > 0 && <p className="hint">{t('campaigns.wizard.segmentsHelp')}</p>}
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
                {n.label} <span className="muted">{formatPhone(n.phone)}</span>
              </label>
            ))}
            <p className="hint">{t('campaigns.wizard.numbersHelp')}</p>
          </fieldset>
        )}
        {step === 'pace' && channel === 'cloud' && <p className="banner banner-ok" data-testid="pace-cloud">{t('cloud.paceNote')}</p>}
        {step === 'pace' && channel === 'phone' && (
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
            {custom && invertedRanges(custom).length > 0 && (
              // Why "Siguiente" is off, in words: a range that ends before it starts (#30 item 7).
              <p className="banner banner-error" role="alert" data-testid="pace-invalid">
                {t('campaigns.wizard.rangeInverted', { fields: invertedRanges(custom).map((k) => t(`campaigns.wizard.${k === 'gapMs' ? 'gap' : k === 'pauseMs' ? 'pause' : 'batch'}`)).join('», «') })}
              </p>
            )}
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
                  {t('campaigns.wizard.windowFrom')} <input type="time" value={from} onChange={(e) => setFrom(e.target.value || minutesToHhmm(540))} aria-label={t('campaigns.wizard.windowFrom')} data-testid="window-from" />
                  {t('campaigns.wizard.windowTo')} <input type="time" value={to} onChange={(e) => setTo(e.target.value || minutesToHhmm(1200))} aria-label={t('campaigns.wizard.windowTo')} data-testid="window-to" />
                </span>
                {/* Why "Siguiente" is off, in words (#30 item 7: an inverted window only greyed it). */}
                {days.length === 0 && <p className="banner banner-error" role="alert" data-testid="window-invalid">{t('campaigns.wizard.windowNoDays')}</p>}
                {days.length > 0 && toMinutes(to) <= toMinutes(from) && <p className="banner banner-error" role="alert" data-testid="window-invalid">{t('campaigns.wizard.windowInverted', { from, to })}</p>}
              </div>
            )}
            <label><input type="checkbox" checked={skipRecent} onChange={() => setSkipRecent(!skipRecent)} data-testid="skip-recent" />{t('campaigns.wizard.skipRecent')}</label>
            {!skipRecent && <p className="banner banner-warning" data-testid="skip-recent-off">{t('campaigns.wizard.skipRecentOff')}</p>}
            <label><input type="checkbox" checked={warmFirst} onChange={() => setWarmFirst(!warmFirst)} data-testid="warm-first" />{t('campaigns.wizard.warmFirst')}</label>
            <p className="hint">{t('campaigns.wizard.timeZone', { zone: settings.timeZone })}</p>
            {channel === 'phone' && <FollowUpPlanner value={followUp} onChange={setFollowUp} />}
            <RepeatPicker value={repeat} onChange={setRepeat} />
          </div>
        )}
        {step === 'summary' && estimate && (
          <CampaignReview
            input={input()}
            media={media}
            estimate={estimate}
            listName={(id) => lists.find((l) => l.id === id)?.name ?? '—'}
            segmentName={(id) => segments?.find((x) => x.id === id)?.name ?? '—'}
            repeat={repeat}
            numberLabel={(id) => (numbers ?? []).find((n) => n.id === id)?.label ?? '—'}
            riskAccepted={riskAccepted}
            onRiskAccepted={setRiskAccepted}
            consentConfirmed={consentConfirmed}
            onConsentConfirmed={setConsentConfirmed}
          />
        )}
      </div>
      {error && <p role="alert" className="banner banner-error" data-testid="wizard-error">{error}</p>}
      <div className="actions">
        {index > 0 && <button type="button" className="button-secondary" onClick={() => setStep(STEPS[index - 1] ?? 'name')}>{t('campaigns.wizard.back')}</button>}
        {step !== 'summary' ? (
          <button type="button" disabled={!valid[step]} onClick={() => void go(STEPS[index + 1] ?? 'summary')} data-testid="wizard-next">{t('campaigns.wizard.next')}</button>
        ) : (
          <button type="button" disabled={busy || !valid.summary} onClick={() => void launch()} data-testid="launch">
            {repeat ? t('campaigns.recurring.launch') : startAt ? t('campaigns.wizard.schedule') : t('campaigns.wizard.launch')}
          </button>
        )}
      </div>
    </section>
  );
}

/** The custom pace's from–to pairs that end before they start. */
function invertedRanges(pace: { gapMs: [number, number]; batch: [number, number]; pauseMs: [number, number] }): ('gapMs' | 'batch' | 'pauseMs')[] {
  return (['gapMs', 'batch', 'pauseMs'] as const).filter((k) => pace[k][1] < pace[k][0]);
}
