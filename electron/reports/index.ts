export { campaignReport, reportRows } from './report';
export { exportReport } from './export';
export { reportsHandlers } from './handlers';
