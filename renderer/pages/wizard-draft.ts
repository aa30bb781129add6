import type { CampaignInput, CampaignView, PaceInput } from '../../shared/campaigns';
import { fromWallClock } from '../../shared/time-zone';
import type { CloudTemplateChoice } from '../../shared/cloud';
import type { MediaView } from '../../shared/messages';
import type { FollowUpDraft } from '../components/campaigns/FollowUpPlanner';
import type { RepeatDraft } from '../components/campaigns/RepeatPicker';
import type { AbDraft } from '../components/campaigns/VersionsEditor';
import { minutesToHhmm } from '../format';
import { DRAFT_KEY, readDraft } from '../state/campaign-draft';

export const STEPS = ['name', 'message', 'lists', 'numbers', 'pace', 'when', 'summary'] as const;
export type Step = (typeof STEPS)[number];

/** What the wizard keeps while the user goes elsewhere: every choice so far (the browser's storage, this computer only). */
export type Draft = {
  step: Step; name: string; templateId: number | null; body: string; media: MediaView | null; include: number[]; exclude: number[]; segmentIds?: number[];
  numberIds: string[]; pace: PaceInput; startAt: string; windowOn: boolean; days: number[]; from: string; to: string; skipRecent?: boolean; warmFirst?: boolean;
  /** From linked phones (free text), or from Cloud API numbers (an approved template). */
  channel?: 'phone' | 'cloud'; cloud?: CloudTemplateChoice | null; followUp?: FollowUpDraft | null; ab?: AbDraft | null; repeat?: RepeatDraft | null;
};

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A new campaign: nothing chosen yet. */
export const EMPTY_DRAFT: Draft = {
  step: 'name', name: '', templateId: null, body: '', media: null, include: [], exclude: [], segmentIds: [], numberIds: [], pace: { preset: 'standard' }, startAt: '',
  windowOn: false, days: [1, 2, 3, 4, 5, 6], from: '09:00', to: '20:00', skipRecent: true, warmFirst: false, channel: 'phone', cloud: null, followUp: null, ab: null, repeat: null,
};

export function storedDraft(): Draft | null {
  return readDraft<Draft>();
}

/** Kept while it says something (a name, a text, a list, a number); an empty one is forgotten. */
export function saveDraft(draft: Draft): void {
  const empty = draft.name === '' && draft.body === '' && draft.include.length === 0 && (draft.segmentIds ?? []).length === 0 && draft.numberIds.length === 0;
  try {
    if (empty) localStorage.removeItem(DRAFT_KEY);
    else localStorage.setItem(DRAFT_KEY, JSON.stringify({ ...draft, savedAt: Date.now() }));
  } catch {
    // storage full or off: the wizard still works, the draft just does not outlive the page
  }
}

/** "Duplicar": every choice of that campaign, under a new name, from the first step. */
export function draftOfCampaign(c: CampaignView, name: string): Draft {
  const w = c.settings.window;
  return {
    step: 'name', name, templateId: null, body: c.body, media: c.media,
    include: c.lists.filter((l) => !l.exclude).map((l) => l.id), exclude: c.lists.filter((l) => l.exclude).map((l) => l.id), segmentIds: c.segments.map((x) => x.id),
    numberIds: c.numbers.filter((n) => !n.lost).map((n) => n.id), pace: c.settings.pace, startAt: '', windowOn: w !== null,
    days: w?.days ?? [1, 2, 3, 4, 5, 6], from: minutesToHhmm(w?.startMinute ?? 540), to: minutesToHhmm(w?.endMinute ?? 1200), skipRecent: c.settings.skipRecent ?? true, warmFirst: c.settings.warmFirst ?? false,
    channel: c.settings.cloud ? 'cloud' : 'phone', cloud: c.settings.cloud ?? null,
    followUp: c.settings.followUp ? { afterDays: c.settings.followUp.afterDays, who: c.settings.followUp.who, body: c.settings.followUp.body } : null,
    ab: c.settings.abTest ? { variants: c.settings.abTest.variants, testShare: c.settings.abTest.testShare, waitHours: c.settings.abTest.waitHours, metric: c.settings.abTest.metric } : null,
  };
}

/** The campaign the draft describes, as the app takes it; the date and time typed are on the clock of `timeZone`. */
export function inputOf(d: Draft, timeZone: string): CampaignInput {
  const cloud = d.channel === 'cloud';
  return {
    name: d.name.trim(),
    templateId: d.templateId,
    body: d.body,
    mediaId: d.media?.id ?? null,
    includeListIds: d.include,
    excludeListIds: d.exclude,
    ...(d.segmentIds?.length ? { segmentIds: d.segmentIds } : {}),
    numberIds: d.numberIds,
    settings: {
      pace: cloud ? { preset: 'cloud' } : d.pace,
      window: d.windowOn ? { days: d.days, startMinute: toMinutes(d.from), endMinute: toMinutes(d.to) } : null,
      timeZone,
      startAt: d.startAt ? fromWallClock(d.startAt, timeZone) : null,
      skipRecent: d.skipRecent ?? true,
      ...(d.warmFirst ? { warmFirst: d.warmFirst } : {}),
      ...(cloud && d.cloud ? { cloud: d.cloud } : {}),
      ...(!cloud && d.followUp ? { followUp: { ...d.followUp, mediaId: null } } : {}),
      ...(!cloud && d.ab ? { abTest: d.ab } : {}),
    },
  };
}
