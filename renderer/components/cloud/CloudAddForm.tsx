import { useId, useState } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { AlertBanner } from '../common/AlertBanner';

/**
 * Numbers › a number on WhatsApp's official Cloud API: the ids and the token from Meta's Business settings, the
 * app secret for the webhooks. Checked with Meta before anything is kept; a wrong one says which.
 */
export function CloudAddForm() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ label: '', phoneNumberId: '', wabaId: '', token: '', appSecret: '' });
  const { run, busy, error } = useAction();
  const ids = { label: useId(), phone: useId(), waba: useId(), token: useId(), secret: useId() };
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  if (!open) {
    return (
      <div className="card cloud-add" data-testid="cloud-add">
        <h2>{t('cloud.addTitle')}</h2>
        <p className="help">{t('cloud.addIntro')}</p>
        <button type="button" className="button-secondary" onClick={() => setOpen(true)} data-testid="cloud-open">{t('cloud.addOpen')}</button>
      </div>
    );
  }
  return (
    <form
      className="card form cloud-add"
      data-testid="cloud-add"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await api.call('cloud.add', {
            ...(form.label.trim() ? { label: form.label.trim() } : {}),
            phoneNumberId: form.phoneNumberId.trim(),
            wabaId: form.wabaId.trim(),
            token: form.token.trim(),
            appSecret: form.appSecret.trim(),
          });
          setForm({ label: '', phoneNumberId: '', wabaId: '', token: '', appSecret: '' });
          setOpen(false);
        });
      }}
    >
      <h2>{t('cloud.addTitle')}</h2>
      <p className="help">{t('cloud.addWhere')}</p>
      <div className="field">
        <label htmlFor={ids.label}>{t('numbers.labelField')}</label>
        <input id={ids.label} type="text" maxLength={60} value={form.label} onChange={set('label')} placeholder={t('cloud.labelPlaceholder')} data-testid="cloud-label" />
      </div>
      <div className="field">
        <label htmlFor={ids.phone}>{t('cloud.phoneNumberId')}</label>
        <input id={ids.phone} type="text" inputMode="numeric" required value={form.phoneNumberId} onChange={set('phoneNumberId')} data-testid="cloud-phone-number-id" />
      </div>
      <div className="field">
        <label htmlFor={ids.waba}>{t('cloud.wabaId')}</label>
        <input id={ids.waba} type="text" inputMode="numeric" required value={form.wabaId} onChange={set('wabaId')} data-testid="cloud-waba-id" />
      </div>
      <div className="field">
        <label htmlFor={ids.token}>{t('cloud.token')}</label>
        <input id={ids.token} type="password" autoComplete="off" required value={form.token} onChange={set('token')} data-testid="cloud-token" />
        <p className="help">{t('cloud.tokenHelp')}</p>
      </div>
      <div className="field">
        <label htmlFor={ids.secret}>{t('cloud.appSecret')}</label>
        <input id={ids.secret} type="password" autoComplete="off" required value={form.appSecret} onChange={set('appSecret')} data-testid="cloud-app-secret" />
        <p className="help">{t('cloud.appSecretHelp')}</p>
      </div>
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="cloud-submit">{busy ? t('cloud.checking') : t('cloud.addSubmit')}</button>
        <button type="button" className="button-secondary" onClick={() => setOpen(false)}>{t('cloud.cancel')}</button>
      </div>
      {error && <AlertBanner text={error} testId="cloud-add-error" />}
    </form>
  );
}
