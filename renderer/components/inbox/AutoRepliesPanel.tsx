import { useId, useState } from 'react';
import type { AutoReplies } from '../../../shared/auto-replies';
import { errorText, useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useToast } from '../../state/toast';

type KeywordDraft = { words: string; text: string };

const DAYS = [1, 2, 3, 4, 5, 6, 0];

/** Settings → Conversaciones: auto-replies (off by default), read receipts and typing, notifications. */
export function AutoRepliesPanel() {
  const { t } = useI18n();
  const { settings, updateSettings } = useAppState();
  const toast = useToast();
  const [draft, setDraft] = useState<AutoReplies>(settings.autoReplies);
  const [keywords, setKeywords] = useState<KeywordDraft[]>(settings.autoReplies.keywords.map((k) => ({ words: k.words.join(', '), text: k.text })));
  const [error, setError] = useState<string>();
  const ids = { period: useId(), away: useId(), from: useId(), to: useId(), greeting: useId() };

  const save = async () => {
    setError(undefined);
    const parsed = keywords
      .map((k) => ({ words: k.words.split(',').map((w) => w.trim()).filter((w) => w.length >= 2), text: k.text.trim() }))
      .filter((k) => k.words.length > 0 || k.text !== '');
    if (parsed.some((k) => k.words.length === 0 || k.text === '')) {
      setError(t('autoReplies.keywordIncomplete'));
      return;
    }
    try {
      await updateSettings({ autoReplies: { ...draft, keywords: parsed } });
      toast(t('toast.settingsSaved'));
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const toggle = async (patch: { chatReceipts?: boolean; replyNotifications?: boolean }) => {
    try {
      await updateSettings(patch);
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  return (
    <form
      className="card form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      data-testid="settings-conversations"
    >
      <h2>{t('autoReplies.title')}</h2>
      <label className="check-line">
        <input type="checkbox" checked={settings.chatReceipts} onChange={(e) => void toggle({ chatReceipts: e.target.checked })} data-testid="settings-chat-receipts" />
        {t('autoReplies.chatReceipts')}
      </label>
      <label className="check-line">
        <input type="checkbox" checked={settings.replyNotifications} onChange={(e) => void toggle({ replyNotifications: e.target.checked })} data-testid="settings-reply-notifications" />
        {t('autoReplies.notifications')}
      </label>
      <h3>{t('autoReplies.subtitle')}</h3>
      <p className="help">{t('autoReplies.help')}</p>
      <label className="check-line">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} data-testid="auto-enabled" />
        {t('autoReplies.enabled')}
      </label>
      <fieldset disabled={!draft.enabled} className="auto-replies">
        <div className="field">
          <label htmlFor={ids.period}>{t('autoReplies.period')}</label>
          <input id={ids.period} type="number" min={1} max={720} value={draft.periodHours} onChange={(e) => setDraft({ ...draft, periodHours: Math.max(1, Math.min(720, Number(e.target.value) || 1)) })} data-testid="auto-period" />
        </div>
        <h4>{t('autoReplies.keywords')}</h4>
        <p className="help">{t('autoReplies.keywordsHelp')}</p>
        {keywords.map((k, i) => (
          <div className="keyword-row" key={i} data-testid="auto-keyword">
            <input type="text" aria-label={t('autoReplies.words')} placeholder={t('autoReplies.wordsPlaceholder')} value={k.words} onChange={(e) => setKeywords(keywords.map((x, j) => (j === i ? { ...x, words: e.target.value } : x)))} data-testid="auto-keyword-words" />
            <textarea aria-label={t('autoReplies.answer')} rows={2} placeholder={t('autoReplies.answerPlaceholder')} value={k.text} onChange={(e) => setKeywords(keywords.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))} data-testid="auto-keyword-text" />
            <button type="button" className="button-secondary" onClick={() => setKeywords(keywords.filter((_, j) => j !== i))} aria-label={t('autoReplies.remove')}>✕</button>
          </div>
        ))}
        <button type="button" className="button-secondary" onClick={() => setKeywords([...keywords, { words: '', text: '' }])} data-testid="auto-keyword-add">{t('autoReplies.addKeyword')}</button>
        <h4>{t('autoReplies.away')}</h4>
        <label className="check-line">
          <input type="checkbox" checked={draft.away.enabled} onChange={(e) => setDraft({ ...draft, away: { ...draft.away, enabled: e.target.checked } })} data-testid="auto-away" />
          {t('autoReplies.awayEnabled')}
        </label>
        <div className="days" role="group" aria-label={t('autoReplies.days')}>
          {DAYS.map((d) => (
            <label key={d} className="check-line">
              <input
                type="checkbox"
                checked={draft.away.days.includes(d)}
                onChange={(e) => setDraft({ ...draft, away: { ...draft.away, days: e.target.checked ? [...draft.away.days, d].sort() : draft.away.days.filter((x) => x !== d) } })}
              />
              {t('autoReplies.dayNames').split(' ')[d]}
            </label>
          ))}
        </div>
        <div className="row">
          <label htmlFor={ids.from}>{t('autoReplies.from')}</label>
          <input id={ids.from} type="time" value={draft.away.from} onChange={(e) => setDraft({ ...draft, away: { ...draft.away, from: e.target.value } })} />
          <label htmlFor={ids.to}>{t('autoReplies.to')}</label>
          <input id={ids.to} type="time" value={draft.away.to} onChange={(e) => setDraft({ ...draft, away: { ...draft.away, to: e.target.value } })} />
        </div>
        <label htmlFor={ids.away} className="visually-hidden">{t('autoReplies.awayText')}</label>
        <textarea id={ids.away} rows={2} value={draft.away.text} onChange={(e) => setDraft({ ...draft, away: { ...draft.away, text: e.target.value } })} data-testid="auto-away-text" />
        <h4>{t('autoReplies.greeting')}</h4>
        <label className="check-line">
          <input type="checkbox" checked={draft.greeting.enabled} onChange={(e) => setDraft({ ...draft, greeting: { ...draft.greeting, enabled: e.target.checked } })} data-testid="auto-greeting" />
          {t('autoReplies.greetingEnabled')}
        </label>
        <label htmlFor={ids.greeting} className="visually-hidden">{t('autoReplies.greetingText')}</label>
        <textarea id={ids.greeting} rows={2} value={draft.greeting.text} onChange={(e) => setDraft({ ...draft, greeting: { ...draft.greeting, text: e.target.value } })} />
        <p className="help">{t('autoReplies.rules')}</p>
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" data-testid="auto-save">{t('common.save')}</button>
    </form>
  );
}
