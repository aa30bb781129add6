import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Dashboard as DashboardData } from '../../shared/inbox';
import { api } from '../api/client';
import { formatDay } from '../format';
import type { Translate } from '../i18n/translate';
import { useI18n } from '../i18n/i18n';
import { healthTone } from './health/NumberHealthCard';
import { WaLimitsNote } from './WaLimitsNote';

/** Today at a glance, kept live: sends per number against its cap, running campaigns, replies, warnings. */
export function Dashboard() {
  const { t, language } = useI18n();
  const [data, setData] = useState<DashboardData>();

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        api.call('dashboard.get', {}).then(setData, () => undefined);
      }, 300);
    };
    api.call('dashboard.get', {}).then(setData, () => undefined);
    const offs = [api.on('campaigns.progress', load), api.on('numbers.changed', load), api.on('inbox.changed', load)];
    return () => {
      offs.forEach((off) => off());
      clearTimeout(timer);
    };
  }, []);

  if (!data || data.numbers.length === 0) return null;
  // A ban and a session closed from the phone need different steps: reinstalling and appealing is a ban's (#30 item 8).
  const banned = data.warnings.some((w) => w.kind === 'number' && w.state === 'banned');
  const loggedOut = data.warnings.some((w) => w.kind === 'number' && w.state === 'logged_out');
  return (
    <div className="dashboard" data-testid="dashboard">
      {data.warnings.length > 0 && (
        <section className="card banner-warning" data-testid="dashboard-warnings">
          <h2>{t('dashboard.warnings')}</h2>
          <ul>
            {data.warnings.map((w) =>
              w.kind === 'braked' ? (
                <li key={`c${w.campaignId}`}>
                  {t('dashboard.braked', { name: w.name })} <Link to={`/campanas/${w.campaignId}`}>{t('dashboard.open')}</Link>
                </li>
              ) : w.kind === 'budget_near' ? (
                <li key={`b${w.numberId}`} className="wa-warning" data-testid="budget-near">
                  <h3>{t('health.nearTitle')}</h3>
                  {t('health.near', { label: w.label, used: w.unanswered, budget: w.budget, when: formatDay(w.monthEnd, language) })}
                </li>
              ) : (
                <li key={`n${w.numberId}`}>
                  {t('dashboard.numberTrouble', { label: w.label, state: t(`numbers.states.${w.state}`) })} <Link to="/numeros">{t('dashboard.open')}</Link>
                </li>
              ),
            )}
          </ul>
          {loggedOut && !banned && (
            <div data-testid="logged-out-guide">
              <h3>{t('dashboard.loggedOutTitle')}</h3>
              <p>{t('dashboard.loggedOutGuide')}</p>
            </div>
          )}
          {banned && (
            <div data-testid="blocked-guide">
              <h3>{t('dashboard.guideTitle')}</h3>
              <ol>
                <li>{t('dashboard.guide1')}</li>
                <li>{t('dashboard.guide2')}</li>
                <li>{t('dashboard.guide3')}</li>
                <li>{t('dashboard.guide4')}</li>
              </ol>
            </div>
          )}
        </section>
      )}
      <div className="two-columns">
        <section className="card">
          <h2>{t('dashboard.today')}</h2>
          <ul className="dash-numbers">
            {data.numbers.map((n) => (
              <li key={n.id} data-testid="dash-number">
                <strong>{n.label}</strong>
                <progress max={n.dailyCap} value={n.sentToday} />
                <span className="nowrap">{t('dashboard.sentToday', { sent: n.sentToday, cap: n.dailyCap })}</span>
                {/* WhatsApp's monthly cap on unanswered messages is a phone's; a Cloud number's limit is Meta's tier. */}
                {n.kind !== 'cloud' && !n.limits?.cap && (
                  <>
                    <progress className="dash-budget" max={Math.max(1, n.budget)} value={Math.min(n.unanswered, n.budget)} data-testid="dash-budget" />
                    <span className="nowrap">{t('health.month', { used: n.unanswered, budget: n.budget })}</span>
                  </>
                )}
                {n.kind !== 'cloud' && n.limits?.cap && (
                  <>
                    <progress className="dash-budget" max={Math.max(1, n.limits.cap.total)} value={Math.min(n.limits.cap.used, n.limits.cap.total)} data-testid="dash-wa-cap" />
                    <span className="nowrap">{t('waLimits.dash', { used: n.limits.cap.used, total: n.limits.cap.total })}</span>
                  </>
                )}
                {n.kind !== 'cloud' && n.limits && <WaLimitsNote limits={n.limits} compact />}
                {n.health !== null && (
                  <span className={`dash-health health-score health-${healthTone(n.health)}`} data-testid="dash-health">
                    <strong>{t('health.dash', { score: n.health })}</strong> {t(`health.advice.${n.advice ?? 'keep_going'}`)}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <p data-testid="dash-conversations">
            {data.conversations.waiting > 0 ? (
              <Link to="/respuestas?mostrar=sin-responder" data-testid="dash-waiting">{t('dashboard.waiting', { count: data.conversations.waiting })}</Link>
            ) : (
              t('dashboard.noneWaiting')
            )}
            {data.conversations.medianAnswerMs !== null && <> · <span data-testid="dash-answer-time">{t('dashboard.answerTime', { time: answerTime(data.conversations.medianAnswerMs, t) })}</span></>}
          </p>
          <p>
            {t('dashboard.optOutsToday')}: <strong data-testid="dash-opt-outs">{data.optOutsToday}</strong> · <Link to="/respuestas">{t('dashboard.seeReplies')}</Link>
          </p>
          {data.doubtfulReplies > 0 && (
            <p className="badge-line" data-testid="dash-doubtful">
              <span className="badge badge-warn">{t('inbox.doubtful')}</span> <Link to="/respuestas?mostrar=dudosas">{t('dashboard.doubtful', { count: data.doubtfulReplies })}</Link>
            </p>
          )}
        </section>
        <section className="card">
          <h2>{t('dashboard.running')}</h2>
          {data.running.length === 0 && <p className="hint">{t('dashboard.noRunning')}</p>}
          <ul className="dash-numbers">
            {data.running.map((c) => (
              <li key={c.id}>
                <Link to={`/campanas/${c.id}`}>{c.name}</Link>
                <progress max={Math.max(1, c.total)} value={c.sent} /> {c.sent} / {c.total}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

/** How long answers take, as people say it: "4 min", "2 h 10 min", "1 d 3 h". */
function answerTime(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return t('dashboard.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('dashboard.hoursMinutes', { hours, minutes: minutes % 60 });
  return t('dashboard.daysHours', { days: Math.floor(hours / 24), hours: hours % 24 });
}
