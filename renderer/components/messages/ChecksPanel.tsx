import type { Analysis } from '../../../shared/messages';
import { useI18n } from '../../i18n/i18n';

/** The good-practice grade, each finding with its reason and, where there is one, a one-click fix. */
export function ChecksPanel({ analysis, onFix }: { analysis: Analysis | undefined; onFix(body: string): void }) {
  const { t } = useI18n();
  if (!analysis) return null;
  const tone = analysis.score >= 80 ? 'ok' : analysis.score >= 50 ? 'warn' : 'bad';
  return (
    <section className="card checks" data-testid="checks-panel">
      <header className="number-head">
        <h2>{t('messages.checksTitle')}</h2>
        <span className={`state state-${tone}`} data-testid="score">{t('messages.score', { score: analysis.score })}</span>
      </header>
      {analysis.checks.length === 0 ? (
        <p>{t('messages.allGood')}</p>
      ) : (
        <ul className="check-list">
          {analysis.checks.map((check) => (
            <li key={check.id} className={`check check-${check.level}`} data-testid={`check-${check.id}`}>
              <span>{t(`messages.checks.${check.id}`)}</span>
              {check.fixedBody !== null && (
                <button type="button" className="button-secondary" onClick={() => onFix(check.fixedBody ?? '')} data-testid={`fix-${check.id}`}>
                  {t('messages.fix')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
