import type { CampaignInput } from '../../shared/campaigns';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { priceOf, templateBody, type CloudPrices } from '../../shared/cloud';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import type { CloudNumbersRepo } from './cloud-numbers-repo';

/**
 * A campaign on Cloud API numbers, checked and completed before anything is written: all its numbers are Cloud
 * ones (or none is), its template is approved and of their account, each {{n}} has a contact field, and the pace
 * is the Cloud one. Its body becomes the template's text with the fields in place of {{n}}, so the preview, the
 * checks for missing fields, the report and "never twice" all read the message each contact really gets.
 */
export function prepareCloudCampaign(input: CampaignInput, deps: { repo: CloudNumbersRepo; kindOf: (numberId: string) => string | undefined }): CampaignInput {
  const cloud = input.numberIds.filter((id) => deps.kindOf(id) === 'cloud');
  if (cloud.length === 0) {
    if (input.settings.cloud || input.settings.pace.preset === 'cloud') throw new AppError('cloud_template_required', 'a template campaign needs Cloud API numbers', 'numberIds');
    return input;
  }
  if (cloud.length !== input.numberIds.length) throw new AppError('cloud_mixed_numbers', 'linked phones and Cloud numbers cannot share a campaign', 'numberIds');
  const choice = input.settings.cloud;
  if (!choice) throw new AppError('cloud_template_required', 'a campaign on Cloud numbers sends an approved template', 'settings.cloud');
  const template = deps.repo.template(choice.templateId);
  if (!template) throw new AppError('not_found', `no template ${choice.templateId}`, 'settings.cloud.templateId');
  const wabas = new Set(cloud.map((id) => deps.repo.get(id)?.waba_id));
  if (wabas.size !== 1 || !wabas.has(template.wabaId)) throw new AppError('cloud_template_required', 'the template belongs to another WhatsApp Business account', 'settings.cloud.templateId');
  if (template.status !== 'APPROVED') throw new AppError('cloud_template_not_approved', `template ${template.name} is ${template.status}`, 'settings.cloud.templateId');
  if (choice.params.length !== template.params) throw new AppError('cloud_template_required', `the template has ${template.params} parameters, ${choice.params.length} were given`, 'settings.cloud.params');
  if (template.header === 'image' || template.header === 'video' || template.header === 'document') {
    if (!input.mediaId) throw new AppError('cloud_template_required', `the template's header is a ${template.header}: attach one`, 'mediaId');
  }
  // Each button that takes a value at the send (a link's end, a code to copy) has one, and only those.
  const dynamic = template.buttons.flatMap((b, index) => (b.dynamic ? [index] : []));
  const given = (choice.buttons ?? []).map((b) => b.index);
  const missingButton = dynamic.find((index) => !given.includes(index));
  if (missingButton !== undefined) throw new AppError('cloud_template_required', `the template's button ${missingButton + 1} needs a value`, `settings.cloud.buttons.${missingButton}`);
  const extra = given.find((index) => !dynamic.includes(index));
  if (extra !== undefined || new Set(given).size !== given.length) throw new AppError('cloud_template_required', `button ${(extra ?? 0) + 1} takes no value`, 'settings.cloud.buttons');
  if (template.cards.length !== (choice.cardMediaIds?.length ?? 0)) {
    throw new AppError('cloud_template_required', `the carousel has ${template.cards.length} cards, ${choice.cardMediaIds?.length ?? 0} files were given`, 'settings.cloud.cardMediaIds');
  }
  if (template.cards.some((card) => card.buttons.some((b) => b.dynamic))) throw new AppError('cloud_template_required', 'carousel cards with a link or code per contact are not supported yet', 'settings.cloud.templateId');
  return { ...input, body: templateBody(template, choice.params), settings: { ...input.settings, pace: { preset: 'cloud' } } };
}

export { priceOf };

/** The market Meta prices a message to this contact at: their phone's country, or a BSUID's own country prefix. */
export function marketOf(phone: string): string | null {
  if (/^[A-Z]{2}\./.test(phone)) return phone.slice(0, 2);
  return parsePhoneNumberFromString(phone)?.country ?? null;
}

/**
 * What a Cloud campaign cost: its delivered messages (a read one was delivered), each at the price of the category
 * Meta put it in (the status webhook's pricing), or the template's when Meta did not say, in the contact's market.
 */
export function campaignCost(db: Db, campaignId: number, templateCategory: string, prices: CloudPrices): { delivered: number; total: number; byCategory: Record<string, number>; asOf: string } {
  const rows = db
    .prepare(
      `SELECT s.phone, (SELECT cs.category FROM cloud_statuses cs WHERE cs.message_id = s.message_id AND cs.category IS NOT NULL LIMIT 1) AS category
       FROM sends s WHERE s.campaign_id = ? AND s.state IN ('delivered', 'read')`,
    )
    .all(campaignId) as { phone: string; category: string | null }[];
  const byCategory: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    const category = (row.category ?? templateCategory).toUpperCase();
    const price = priceOf(prices, category, marketOf(row.phone));
    byCategory[category] = round((byCategory[category] ?? 0) + price);
    total += price;
  }
  return { delivered: rows.length, total: round(total), byCategory, asOf: prices.asOf };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
