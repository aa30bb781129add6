import type { SegmentRule } from '../../../shared/segments';
import { useI18n } from '../../i18n/i18n';

export type RuleChoices = { fields: string[]; tags: { id: number; name: string }[]; lists: { id: number; name: string }[]; campaigns: { id: number; name: string }[] };

const KINDS = ['field', 'tag', 'list', 'consent', 'replied', 'read_no_reply', 'never_wrote', 'not_messaged', 'added'] as const;
const OPS = ['is', 'is_not', 'contains', 'empty', 'not_empty'] as const;

/** A new rule of a kind, filled with the first choice there is (a tag, a list, a field). */
export function newRule(kind: SegmentRule['kind'], choices: RuleChoices): SegmentRule {
  switch (kind) {
    case 'field':
      return { kind, field: choices.fields[0] ?? '', op: 'is', value: '' };
    case 'tag':
      return { kind, tagId: choices.tags[0]?.id ?? 0, has: true };
    case 'list':
      return { kind, listId: choices.lists[0]?.id ?? 0, member: true };
    case 'consent':
      return { kind, value: 'yes' };
    case 'replied':
      return { kind, campaignId: null, withinDays: null };
    case 'read_no_reply':
      return { kind, campaignId: null, days: 7 };
    case 'never_wrote':
      return { kind };
    case 'not_messaged':
      return { kind, days: 30 };
    case 'added':
      return { kind, withinDays: 30 };
  }
}

/** A tag or list the rule names that was deleted since (the rule must pick another before it counts anyone). */
export function ruleGone(rule: SegmentRule, choices: RuleChoices): boolean {
  if (rule.kind === 'tag') return rule.tagId > 0 && !choices.tags.some((x) => x.id === rule.tagId);
  if (rule.kind === 'list') return rule.listId > 0 && !choices.lists.some((x) => x.id === rule.listId);
  return false;
}

/** Whether a rule says all it needs to be counted (a tag picked, a value typed…). */
export function ruleComplete(rule: SegmentRule, choices: RuleChoices): boolean {
  if (ruleGone(rule, choices)) return false;
  switch (rule.kind) {
    case 'field':
      return rule.field.trim() !== '' && (rule.op === 'empty' || rule.op === 'not_empty' || (rule.value ?? '').trim() !== '');
    case 'tag':
      return rule.tagId > 0;
    case 'list':
      return rule.listId > 0;
    case 'read_no_reply':
    case 'not_messaged':
      return rule.days >= 1;
    case 'added':
      return rule.withinDays >= 1;
    case 'replied':
      return rule.withinDays === null || rule.withinDays >= 1;
    default:
      return true;
  }
}

const days = (value: string) => Math.max(0, Math.min(3650, Math.round(Number(value) || 0)));

/** One rule of a segment: its kind, then what that kind asks, in a row. */
export function RuleEditor({ rule, index, choices, onChange, onRemove }: { rule: SegmentRule; index: number; choices: RuleChoices; onChange(rule: SegmentRule): void; onRemove?: () => void }) {
  const { t } = useI18n();
  const label = (what: string) => `${t('segments.rule', { n: index + 1 })}: ${what}`;
  const gone = ruleGone(rule, choices);
  const campaignPick = (campaignId: number | null, set: (id: number | null) => void) => (
    <select aria-label={label(t('segments.campaignPick'))} value={campaignId ?? ''} onChange={(e) => set(e.target.value ? Number(e.target.value) : null)} data-testid="rule-campaign">
      <option value="">{t('segments.anyCampaign')}</option>
      {choices.campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
    </select>
  );
  const daysInput = (value: number, set: (n: number) => void, what = t('segments.days')) => (
    <label className="rule-days">
      <input type="number" min={1} max={3650} value={value || ''} onChange={(e) => set(days(e.target.value))} aria-label={label(what)} data-testid="rule-days" />
      <span>{what.toLowerCase()}</span>
    </label>
  );
  return (
    <div className="rule-row" data-testid={`rule-${index}`} data-kind={rule.kind}>
      <select aria-label={label(t('segments.kind'))} value={rule.kind} onChange={(e) => onChange(newRule(e.target.value as SegmentRule['kind'], choices))} data-testid="rule-kind">
        {KINDS.map((k) => <option key={k} value={k}>{t(`segments.kinds.${k}`)}</option>)}
      </select>
      {rule.kind === 'field' && (
        <>
          <input type="text" list="segment-fields" aria-label={label(t('segments.field'))} placeholder={t('segments.fieldPlaceholder')} value={rule.field} onChange={(e) => onChange({ ...rule, field: e.target.value })} data-testid="rule-field" />
          <select aria-label={label(t('segments.ops.is'))} value={rule.op} onChange={(e) => onChange({ ...rule, op: e.target.value as (typeof OPS)[number] })} data-testid="rule-op">
            {OPS.map((op) => <option key={op} value={op}>{t(`segments.ops.${op}`)}</option>)}
          </select>
          {rule.op !== 'empty' && rule.op !== 'not_empty' && (
            <input type="text" aria-label={label(t('segments.value'))} placeholder={t('segments.value')} value={rule.value ?? ''} onChange={(e) => onChange({ ...rule, value: e.target.value })} data-testid="rule-value" />
          )}
        </>
      )}
      {rule.kind === 'tag' && (
        <>
          <select aria-label={label(t('segments.has'))} value={rule.has ? 'yes' : 'no'} onChange={(e) => onChange({ ...rule, has: e.target.value === 'yes' })} data-testid="rule-has">
            <option value="yes">{t('segments.has')}</option>
            <option value="no">{t('segments.hasNot')}</option>
          </select>
          {choices.tags.length === 0 ? (
            <span className="hint">{t('segments.noTags')}</span>
          ) : (
            <select aria-label={label(t('segments.pickTag'))} value={gone ? '' : rule.tagId || ''} onChange={(e) => onChange({ ...rule, tagId: Number(e.target.value) })} data-testid="rule-tag">
              {(rule.tagId === 0 || gone) && <option value="">{t('segments.pickTag')}</option>}
              {choices.tags.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          )}
        </>
      )}
      {rule.kind === 'list' && (
        <>
          <select aria-label={label(t('segments.member'))} value={rule.member ? 'yes' : 'no'} onChange={(e) => onChange({ ...rule, member: e.target.value === 'yes' })} data-testid="rule-member">
            <option value="yes">{t('segments.member')}</option>
            <option value="no">{t('segments.notMember')}</option>
          </select>
          <select aria-label={label(t('segments.pickList'))} value={gone ? '' : rule.listId || ''} onChange={(e) => onChange({ ...rule, listId: Number(e.target.value) })} data-testid="rule-list">
            {(rule.listId === 0 || gone) && <option value="">{t('segments.pickList')}</option>}
            {choices.lists.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </>
      )}
      {rule.kind === 'consent' && (
        <select aria-label={label(t('segments.kinds.consent'))} value={rule.value} onChange={(e) => onChange({ ...rule, value: e.target.value as 'yes' | 'no' | 'unknown' })} data-testid="rule-consent">
          {(['yes', 'no', 'unknown'] as const).map((v) => <option key={v} value={v}>{t(`segments.consentValues.${v}`)}</option>)}
        </select>
      )}
      {rule.kind === 'replied' && (
        <>
          {campaignPick(rule.campaignId, (campaignId) => onChange({ ...rule, campaignId }))}
          <select aria-label={label(t('segments.when'))} value={rule.withinDays === null ? 'ever' : 'within'} onChange={(e) => onChange({ ...rule, withinDays: e.target.value === 'ever' ? null : 30 })} data-testid="rule-when">
            <option value="ever">{t('segments.ever')}</option>
            <option value="within">{t('segments.withinDays', { days: rule.withinDays ?? 30 })}</option>
          </select>
          {rule.withinDays !== null && daysInput(rule.withinDays, (withinDays) => onChange({ ...rule, withinDays }))}
        </>
      )}
      {rule.kind === 'read_no_reply' && (
        <>
          {campaignPick(rule.campaignId, (campaignId) => onChange({ ...rule, campaignId }))}
          {daysInput(rule.days, (n) => onChange({ ...rule, days: n }), t('segments.daysAfter'))}
        </>
      )}
      {rule.kind === 'not_messaged' && daysInput(rule.days, (n) => onChange({ ...rule, days: n }))}
      {rule.kind === 'added' && daysInput(rule.withinDays, (n) => onChange({ ...rule, withinDays: n }))}
      {gone && <span className="hint rule-gone" data-testid="rule-gone">{t(rule.kind === 'tag' ? 'segments.goneTag' : 'segments.goneList')}</span>}
      {onRemove && (
        <button type="button" className="button-link rule-remove" onClick={onRemove} aria-label={label(t('segments.removeRule'))} title={t('segments.removeRule')} data-testid="rule-remove">
          ×
        </button>
      )}
    </div>
  );
}
