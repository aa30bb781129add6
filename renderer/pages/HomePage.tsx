import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { Dashboard } from '../components/Dashboard';
import { useI18n } from '../i18n/i18n';

const STEPS = [1, 2, 3, 4] as const;
/** Each step links to the page where it is done. */
const STEP_LINKS: Partial<Record<(typeof STEPS)[number], { to: string; label: string }>> = {
  1: { to: '/numeros', label: 'home.goToNumbers' },
  2: { to: '/contactos/importar', label: 'home.goToContacts' },
  3: { to: '/mensajes', label: 'home.goToMessages' },
  4: { to: '/campanas/nueva', label: 'home.goToCampaigns' },
};
const PRACTICES = [1, 2, 3, 4, 5] as const;

/** The first screen: what to do first, and the habits that keep a number from being blocked. */
export function HomePage() {
  const { t } = useI18n();
  const [done, setDone] = useState<Record<number, boolean>>({});
  useEffect(() => {
    const load = () => {
      api.call('dashboard.get', {}).then(
        (d) => setDone({ 1: d.numbers.some((n) => n.phone !== null), 2: d.hasContacts, 3: d.hasMessages, 4: d.hasCampaigns }),
        () => undefined,
      );
    };
    load();
    const offs = [api.on('numbers.changed', load), api.on('contacts.changed', load), api.on('campaigns.progress', load)];
    return () => offs.forEach((off) => off());
  }, []);
  return (
    <section className="page" data-testid="page-home">
      <header className="page-header">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>
      </header>
      <Dashboard />
      <h2>{t('home.firstSteps')}</h2>
      <ol className="steps" data-testid="home-steps">
        {STEPS.map((n) => (
          <li key={n} className={`card step ${done[n] ? 'step-done' : ''}`} data-testid={`home-step-${n}`} data-done={done[n] ? 'true' : 'false'}>
            <span className="step-number" aria-hidden="true">{done[n] ? '✓' : n}</span>
            <div>
              <h3>
                {t(`home.step${n}Title`)} {done[n] && <span className="badge badge-ok">{t('home.stepDone')}</span>}
              </h3>
              <p>{t(`home.step${n}Text`)}</p>
              {STEP_LINKS[n] ? (
                <Link className="step-link" to={STEP_LINKS[n].to} data-testid={`home-step-${n}-link`}>
                  {t(STEP_LINKS[n].label)}
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      <div className="card practices">
        <h2>{t('home.practicesTitle')}</h2>
        <ul>
          {PRACTICES.map((n) => (
            <li key={n}>{t(`home.practice${n}`)}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
