export { Inbox } from './inbox';
export { inboxHandlers } from './handlers';
