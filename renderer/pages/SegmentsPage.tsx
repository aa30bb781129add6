import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Segment, SegmentCount, SegmentRule } from '../../shared/segments';
import { api } from '../api/client';
import { UnsavedBar } from '../components/common/UnsavedBar';
import { RuleEditor, newRule, ruleComplete, type RuleChoices } from '../components/segments/RuleEditor';
import { formatPhone } from '../format';
import { errorText, useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';
import { useLists } from '../state/use-lists';
import { useSettled } from '../state/use-settled';
import { useSegments, useTags } from '../state/use-tags';
import { useToast } from '../state/toast';
import { useUnsavedGuard } from '../state/use-unsaved-guard';

type Draft = { id: number | null; name: string; match: 'all' | 'any'; rules: SegmentRule[] };
const same = (a: Draft, b: Draft) => a.name === b.name && a.match === b.match && JSON.stringify(a.rules) === JSON.stringify(b.rules);

/** Segments (#35): saved audiences that keep themselves up to date, with a live count and who is in them. */
export function SegmentsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('id')) || null;
  const { segments } = useSegments();
  const tags = useTags();
  const { lists } = useLists();
  const [fields, setFields] = useState<string[]>([]);
  const [campaigns, setCampaigns] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    api.call('contacts.fields', {}).then(setFields, () => undefined);
    api.call('campaigns.list', {}).then((all) => setCampaigns(all.map((c) => ({ id: c.id, name: c.name }))), () => undefined);
  }, []);
  const choices: RuleChoices = { fields, tags, lists, campaigns };
  const fresh = (): Draft => ({ id: null, name: '', match: 'all', rules: [newRule('field', choices)] });

  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<Draft | null>(null);
  const dirty = draft !== null && (saved === null ? draft.name !== '' || draft.rules.length > 1 : !same(draft, saved));
  const guard = useUnsavedGuard(dirty);
  const { run, busy, error } = useAction();
  const [confirmDelete, setConfirmDelete] = useState(false);

  // The segment named in the address opens once the list has it (again when the address names another); a new one
  // starts from one rule. Judged while rendering, as React advises for state that follows other state.
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const addressKey = segments ? String(openId ?? 'new') : null;
  if (addressKey !== null && addressKey !== openedFor) {
    setOpenedFor(addressKey);
    const found = openId === null ? undefined : segments?.find((s) => s.id === openId);
    if (found && draft?.id !== found.id) {
      const opened = { id: found.id, name: found.name, match: found.match, rules: found.rules };
      setDraft(opened);
      setSaved(opened);
    } else if (!found && draft === null) setDraft(fresh());
  }

  const open = (segment: Segment | null) =>
    guard.ask(() => {
      setConfirmDelete(false);
      if (segment) {
        const opened = { id: segment.id, name: segment.name, match: segment.match, rules: segment.rules };
        setDraft(opened);
        setSaved(opened);
        setParams({ id: String(segment.id) });
      } else {
        setDraft(fresh());
        setSaved(null);
        setParams({});
      }
    });

  // Counted as the user edits, once the typing pauses and every rule is complete.
  const complete = draft !== null && draft.rules.length > 0 && draft.rules.every((rule) => ruleComplete(rule, choices));
  const asked = useSettled(complete && draft ? JSON.stringify({ match: draft.match, rules: draft.rules }) : '', 300);
  const [count, setCount] = useState<{ for: string; value?: SegmentCount; error?: string }>({ for: '' });
  useEffect(() => {
    if (!asked) return;
    let live = true;
    api.call('segments.count', JSON.parse(asked) as { match: 'all' | 'any'; rules: SegmentRule[] }).then(
      (value) => live && setCount({ for: asked, value }),
      (e: unknown) => live && setCount({ for: asked, error: errorText(t, e) }),
    );
    return () => {
      live = false;
    };
  }, [asked, t]);
  const current = complete && draft ? JSON.stringify({ match: draft.match, rules: draft.rules }) : '';
  const counted = count.for === current ? count : null;

  const save = (after?: () => void) =>
    draft &&
    void run(async () => {
      const segment = await api.call('segments.save', { ...(draft.id ? { id: draft.id } : {}), name: draft.name.trim(), match: draft.match, rules: draft.rules });
      const kept = { id: segment.id, name: segment.name, match: segment.match, rules: segment.rules };
      setDraft(kept);
      setSaved(kept);
      setParams({ id: String(segment.id) });
      toast(t('segments.saved', { name: segment.name }));
      after?.();
    });

  const setRule = (index: number, rule: SegmentRule) => draft && setDraft({ ...draft, rules: draft.rules.map((r, i) => (i === index ? rule : r)) });

  return (
    <section className="page page-wide" data-testid="page-segments">
      <header className="page-header">
        <h1>{t('segments.title')}</h1>
        <p className="muted">{t('segments.intro')}</p>
      </header>
      <div className="segments-layout">
        <aside className="card segments-list" aria-label={t('segments.list')}>
          <button type="button" className="button" onClick={() => open(null)} data-testid="segment-new">{t('segments.new')}</button>
          {segments?.length === 0 && <p className="muted" data-testid="segments-empty">{t('segments.empty')}</p>}
          <ul className="lists">
            {(segments ?? []).map((s) => (
              <li key={s.id}>
                <button type="button" className={`list-item ${draft?.id === s.id ? 'active' : ''}`} onClick={() => open(s)} data-testid={`segment-${s.id}`} data-segment-name={s.name}>
                  {s.name}
                </button>
              </li>
            ))}
          </ul>
        </aside>
        {draft && (
          <div className="card segment-editor" data-testid="segment-editor">
            {guard.asking && <UnsavedBar name={draft.name.trim()} onSave={() => save(guard.leave)} onDiscard={guard.leave} onStay={guard.stay} />}
            <label className="field">
              <span>{t('segments.name')}</span>
              <input type="text" value={draft.name} placeholder={t('segments.namePlaceholder')} maxLength={80} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="segment-name" />
            </label>
            <fieldset className="segment-rules">
              <legend>
                {t('segments.match')}{' '}
                <select aria-label={t('segments.match')} value={draft.match} onChange={(e) => setDraft({ ...draft, match: e.target.value as 'all' | 'any' })} data-testid="segment-match">
                  <option value="all">{t('segments.matchAll')}</option>
                  <option value="any">{t('segments.matchAny')}</option>
                </select>
              </legend>
              <datalist id="segment-fields">{fields.map((f) => <option key={f} value={f} />)}</datalist>
              {draft.rules.map((rule, i) => (
                <RuleEditor
                  key={i}
                  rule={rule}
                  index={i}
                  choices={choices}
                  onChange={(r) => setRule(i, r)}
                  onRemove={draft.rules.length > 1 ? () => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) }) : undefined}
                />
              ))}
              {draft.rules.length < 20 && (
                <button type="button" className="button-secondary" onClick={() => setDraft({ ...draft, rules: [...draft.rules, newRule('field', choices)] })} data-testid="rule-add">
                  {t('segments.addRule')}
                </button>
              )}
            </fieldset>
            <div className="segment-count" aria-live="polite" data-testid="segment-count">
              {!complete ? (
                <p className="muted">{t('segments.incomplete')}</p>
              ) : !counted ? (
                <p className="muted">{t('segments.counting')}</p>
              ) : counted.error ? (
                <p role="alert" className="banner banner-error">{counted.error}</p>
              ) : counted.value ? (
                <>
                  <p>
                    <strong data-testid="segment-total" data-total={counted.value.total} data-ms={counted.value.ms}>{t('segments.count', { count: counted.value.total })}</strong>
                  </p>
                  {counted.value.optedOut > 0 && <p className="hint" data-testid="segment-opted-out">{t('segments.countOptedOut', { count: counted.value.optedOut })}</p>}
                  {counted.value.total === 0 ? (
                    <p className="muted">{t('segments.sampleEmpty')}</p>
                  ) : (
                    <>
                      <h2 className="small-heading">{t('segments.sample')}</h2>
                      <ul className="segment-sample" data-testid="segment-sample">
                        {counted.value.sample.map((c) => (
                          <li key={c.id}>
                            <span>{c.name ?? '—'}</span> <span className="muted">{formatPhone(c.phone)}</span>
                          </li>
                        ))}
                      </ul>
                    </>
                  )}
                </>
              ) : null}
            </div>
            {error && <p role="alert" className="banner banner-error">{error}</p>}
            <div className="actions">
              <button type="button" disabled={busy || draft.name.trim() === '' || !complete || !dirty} onClick={() => save()} data-testid="segment-save">{t('segments.save')}</button>
              {draft.id !== null && !dirty && (
                <>
                  <Link className="button-secondary button" to={`/contactos?segmento=${draft.id}`} data-testid="segment-see-all">{t('segments.seeAll')}</Link>
                  <Link className="button-secondary button" to={`/campanas/nueva?segmento=${draft.id}`} data-testid="segment-campaign">{t('segments.campaign')}</Link>
                </>
              )}
              {dirty && <span className="hint" data-testid="segment-unsaved">{t('segments.unsaved')}</span>}
              {draft.id !== null &&
                (confirmDelete ? (
                  <span className="confirm">
                    {t('segments.confirmDelete', { name: draft.name })}
                    <button type="button" className="button-danger" onClick={() => void run(() => api.call('segments.delete', { id: draft.id as number })).then((ok) => { if (ok) { setConfirmDelete(false); setSaved(null); setDraft(fresh()); setParams({}); } })} data-testid="segment-delete-confirm">
                      {t('segments.delete')}
                    </button>
                    <button type="button" className="button-secondary" onClick={() => setConfirmDelete(false)}>{t('segments.cancel')}</button>
                  </span>
                ) : (
                  <button type="button" className="button-secondary button-danger-outline" onClick={() => setConfirmDelete(true)} data-testid="segment-delete">{t('segments.delete')}</button>
                ))}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
