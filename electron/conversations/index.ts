export { ConversationsRepo } from './conversations-repo';
export { ChatAnswers, CLOUD_WINDOW_MS } from './answers';
export { AutoReplier, chooseAutoReply, withinHours, mentions, withPersonLine, PERSON_LINE } from './auto-replies';
export { conversationsHandlers } from './handlers';
export { rebuildConversations, conversationMeta, type ConversationMeta } from './rebuild';
