export { TagsRepo } from './tags-repo';
export { SegmentsRepo } from './segments-repo';
export { AutoTags } from './auto-tags';
export { segmentWhere } from './segment-sql';
export { segmentsHandlers } from './handlers';
