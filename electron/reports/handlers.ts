import type { CampaignsRepo } from '../campaigns';
import type { HandlerGroup } from '../core/dispatcher';
import type { Db } from '../db';
import type { FileStore } from '../files';
import type { SettingsStore } from '../settings';
import { exportReport } from './export';
import { campaignReport, reportRows } from './report';

export function reportsHandlers(deps: { db: Db; campaigns: CampaignsRepo; files: FileStore; settings: SettingsStore; now: () => number }) {
  const { db, campaigns, files, settings } = deps;
  return {
    // A report reads its figures through the campaign's counts, which write any receipts still queued first.
    'reports.get': ({ id }) => campaignReport(db, campaigns, id, settings.get().cloudPrices, deps.now()),
    'reports.rows': ({ id, state, offset, limit }) => {
      campaigns.outbox.flushReceipts(); // the table reads the outbox directly
      return reportRows(db, campaigns.row(id).id, state ?? null, offset, limit);
    },
    'reports.export': ({ id, state, format }) => exportReport(db, files, campaignReport(db, campaigns, id, settings.get().cloudPrices, deps.now()), state ?? null, format, settings.get().language),
  } satisfies HandlerGroup;
}
