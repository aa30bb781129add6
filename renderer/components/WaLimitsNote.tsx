import { useState } from 'react';
import type { NumberView } from '../../shared/numbers';
import { heldBy } from '../../shared/wa-limits';
import { formatNumber, formatWhen } from '../format';
import { useI18n } from '../i18n/i18n';

/**
 * A number's limits as WhatsApp states them (#32): the new-chat cap (used of total this period, its warning level,
 * when it renews) and a reach-out timelock with its end. Nothing when WhatsApp has not stated them.
 */
/** `compact`: one line, no advice (Inicio's list of numbers). */
export function WaLimitsNote({ limits, compact = false }: { limits: NumberView['limits']; compact?: boolean }) {
  const { t, language } = useI18n();
  // The time the card was drawn; a new view of the number (pushed as it changes) draws it again.
  const [now] = useState(() => Date.now());
  if (!limits) return null;
  const { cap, timelock } = limits;
  const held = heldBy(limits, now);
  // WhatsApp's own banner titles by enforcement (WAWebReachoutTimelockButterBar): a commerce policy, or the account.
  const enforcement = (type: string | null) =>
    type === 'WEB_COMPANION_ONLY' || type === 'RESTRICT_ALL_COMPANIONS' ? t(`waLimits.enforcement.${type}`) : type?.startsWith('BIZ_COMMERCE_VIOLATION') ? t('waLimits.enforcement.commerce') : t('waLimits.enforcement.DEFAULT');
  const lockOn = held?.reason === 'timelock';
  const capNow = cap && (cap.cycleEndsAt === null || cap.cycleEndsAt > now) ? cap : null;
  if (!capNow && !lockOn) return null;
  const tone = lockOn || capNow?.level === 'capped' ? 'banner-error' : capNow && capNow.level !== 'none' ? 'banner-warning' : 'banner-ok';
  return (
    <div className={`banner ${tone} wa-limits${compact ? ' wa-limits-compact' : ''}`} role="status" data-testid="wa-limits">
      {lockOn && (
        <p data-testid="wa-timelock">
          {enforcement(timelock?.enforcement ?? null)}{' '}
          {timelock?.endsAt ? t('waLimits.timelockUntil', { when: formatWhen(timelock.endsAt, language) }) : t('waLimits.timelock')}
        </p>
      )}
      {capNow && (
        <p data-testid="wa-cap" data-level={capNow.level}>
          {t(`waLimits.levels.${capNow.level}`)}{' '}
          {t('waLimits.used', { used: formatNumber(capNow.used, language), total: formatNumber(capNow.total, language) })}
          {capNow.cycleEndsAt !== null && <> {t('waLimits.renews', { when: formatWhen(capNow.cycleEndsAt, language) })}</>}
        </p>
      )}
      {!compact && <p className="hint">{lockOn || capNow?.level === 'capped' ? t('waLimits.adviceHeld') : capNow?.level !== 'none' ? t('waLimits.adviceWarned') : t('waLimits.adviceNone')}</p>}
    </div>
  );
}
