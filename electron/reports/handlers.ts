import type { CampaignsRepo } from '../campaigns';
import type { HandlerGroup } from '../core/dispatcher';
import type { Db } from '../db';
import type { FileStore } from '../files';
import type { SettingsStore } from '../settings';
import { exportReport } from './export';
import { campaignReport, reportRows } from './report';

/** Receipts still queued for writing belong in the figures: each report flushes them first. */
export function reportsHandlers(deps: { db: Db; campaigns: CampaignsRepo; files: FileStore; settings: SettingsStore }) {
  const { db, campaigns, files, settings } = deps;
  return {
    'reports.get': ({ id }) => {
      campaigns.outbox.flushReceipts();
      return campaignReport(db, campaigns, id);
    },
    'reports.rows': ({ id, state, offset, limit }) => {
      campaigns.outbox.flushReceipts();
      return reportRows(db, campaigns.row(id).id, state ?? null, offset, limit);
    },
    'reports.export': ({ id, state, format }) => {
      campaigns.outbox.flushReceipts();
      return exportReport(db, files, campaignReport(db, campaigns, id), state ?? null, format, settings.get().language);
    },
  } satisfies HandlerGroup;
}
