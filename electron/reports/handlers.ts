import type { CampaignsRepo } from '../campaigns';
import type { HandlerGroup } from '../core/dispatcher';
import type { Db } from '../db';
import type { FileStore } from '../files';
import type { SettingsStore } from '../settings';
import { exportReport } from './export';
import { campaignReport, reportRows } from './report';

export function reportsHandlers(deps: { db: Db; campaigns: CampaignsRepo; files: FileStore; settings: SettingsStore }) {
  return {
    'reports.get': ({ id }) => campaignReport(deps.db, deps.campaigns, id),
    'reports.rows': ({ id, state, offset, limit }) => reportRows(deps.db, deps.campaigns.row(id).id, state ?? null, offset, limit),
    'reports.export': ({ id, state, format }) =>
      exportReport(deps.db, deps.files, campaignReport(deps.db, deps.campaigns, id), state ?? null, format, deps.settings.get().language),
  } satisfies HandlerGroup;
}
