import type { SegmentRule } from '../../../shared/segments';
import type { Translate } from '../../i18n/translate';

/** The names rules point at by id; one missing was deleted since. */
export type RuleNames = { tags: Map<number, string>; lists: Map<number, string>; campaigns: Map<number, string> };

/** A rule as a sentence ("Ciudad es «Monterrey»", "Respondió a «Expo» en los últimos 7 días"). */
export function ruleText(t: Translate, rule: SegmentRule, names: RuleNames): string {
  const named = (map: Map<number, string>, id: number) => map.get(id) ?? t('segments.rules.gone');
  switch (rule.kind) {
    case 'field':
      return t(`segments.rules.field_${rule.op}`, { field: rule.field, value: rule.value ?? '' });
    case 'tag':
      return t(rule.has ? 'segments.rules.tag' : 'segments.rules.tagNot', { name: named(names.tags, rule.tagId) });
    case 'list':
      return t(rule.member ? 'segments.rules.list' : 'segments.rules.listNot', { name: named(names.lists, rule.listId) });
    case 'consent':
      return t(`segments.rules.consent_${rule.value}`);
    case 'replied': {
      const text = rule.campaignId === null ? t('segments.rules.repliedAny') : t('segments.rules.replied', { name: named(names.campaigns, rule.campaignId) });
      return rule.withinDays === null ? text : t('segments.rules.within', { rule: text, days: rule.withinDays });
    }
    case 'read_no_reply':
      return rule.campaignId === null
        ? t('segments.rules.read_no_replyAny', { days: rule.days })
        : t('segments.rules.read_no_reply', { name: named(names.campaigns, rule.campaignId), days: rule.days });
    case 'never_wrote':
      return t('segments.rules.never_wrote');
    case 'not_messaged':
      return t('segments.rules.not_messaged', { days: rule.days });
    case 'added':
      return t('segments.rules.added', { days: rule.withinDays });
  }
}
