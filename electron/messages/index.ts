export { parseTemplate, renderTemplate, renderNodes, contactRandom, fieldKey, BUILTIN_FIELDS, type RenderContact, type TemplateError } from './template';
export { analyzeMessage, OPT_OUT_LINE } from './checks';
export { MediaStore, sniffMedia, MEDIA_LIMIT, DOCUMENT_LIMIT, SLOW_ABOVE } from './media';
export { TemplatesRepo, mediaView } from './templates-repo';
export { TestSender } from './test-send';
export { messagesHandlers } from './handlers';
