import { useCallback, useEffect, useId, useState } from 'react';
import { API_SCOPES, type ApiKey } from '../../../shared/api';
import { api } from '../../api/client';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { ShownOnce } from './ShownOnce';

/** Settings › API keys: made with a name and a scope, shown once, revoked for good. */
export function ApiKeysPanel() {
  const { t, language } = useI18n();
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKey['scope']>('send');
  const [made, setMade] = useState<{ name: string; secret: string }>();
  const [revoking, setRevoking] = useState<number>();
  const { run, busy, error } = useAction();
  const ids = { name: useId(), scope: useId() };
  const load = useCallback(() => void api.call('apiKeys.list', {}).then(setKeys, () => undefined), []);
  useEffect(load, [load]);

  return (
    <section className="card" data-testid="api-keys">
      <h3>{t('api.keysTitle')}</h3>
      <p className="help">{t('api.keysHelp')}</p>
      <form
        className="form key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const created = await api.call('apiKeys.create', { name, scope });
            setMade({ name: created.key.name, secret: created.secret });
            setName('');
            load();
          });
        }}
      >
        <div className="field">
          <label htmlFor={ids.name}>{t('api.keyName')}</label>
          <input id={ids.name} type="text" value={name} maxLength={80} required placeholder={t('api.keyNamePlaceholder')} onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />
        </div>
        <div className="field">
          <label htmlFor={ids.scope}>{t('api.keyScope')}</label>
          <select id={ids.scope} value={scope} onChange={(e) => setScope(e.target.value as ApiKey['scope'])} data-testid="api-key-scope">
            {API_SCOPES.map((s) => <option key={s} value={s}>{t(`api.scope.${s}`)}</option>)}
          </select>
        </div>
        <button type="submit" disabled={busy || name.trim() === ''} data-testid="api-key-create">{t('api.keyCreate')}</button>
      </form>
      {made && <ShownOnce label={t('api.keyMade', { name: made.name })} secret={made.secret} onDone={() => setMade(undefined)} testId="api-key-secret" />}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
      {keys.length === 0 ? (
        <p className="muted">{t('api.noKeys')}</p>
      ) : (
        <ul className="plain-list" data-testid="api-key-list">
          {keys.map((k) => (
            <li key={k.id} className="row-between api-key" data-testid="api-key" data-revoked={k.revokedAt !== null}>
              <span>
                <strong>{k.name}</strong> <code className="mono">{k.prefix}…</code> <span className="badge badge-ok">{t(`api.scope.${k.scope}`)}</span>
                <span className="muted">
                  {' '}
                  {t('api.keyCreated', { when: formatWhen(k.createdAt, language) })}
                  {' · '}
                  {k.lastUsedAt === null ? t('api.keyNeverUsed') : t('api.keyUsed', { when: formatWhen(k.lastUsedAt, language) })}
                </span>
              </span>
              {k.revokedAt !== null ? (
                <span className="badge badge-bad">{t('api.revoked', { when: formatWhen(k.revokedAt, language) })}</span>
              ) : revoking === k.id ? (
                <span className="confirm" role="group">
                  <span>{t('api.revokeConfirm', { name: k.name })}</span>
                  <button type="button" className="button-danger" onClick={() => void run(async () => { await api.call('apiKeys.revoke', { id: k.id }); setRevoking(undefined); load(); })} data-testid="api-key-revoke-yes">
                    {t('api.revokeYes')}
                  </button>
                  <button type="button" className="button-secondary" onClick={() => setRevoking(undefined)}>{t('numbers.cancel')}</button>
                </span>
              ) : (
                <button type="button" className="button-secondary" onClick={() => setRevoking(k.id)} data-testid="api-key-revoke">{t('api.revoke')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
