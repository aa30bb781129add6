import type { TestSend } from '../../../shared/messages';

const RANK: Record<TestSend['status'], number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * The further of two views of one test send. Receipts are pushed as they happen, and the simulator's (or WhatsApp's)
 * delivered/read can come before the answer to `messages.testSend` (a slow response, a retried request answered
 * from the ledger): that answer must not take the panel back to "sent". A refusal (ack error) ends it.
 */
export function furthest(a: TestSend, b: TestSend | undefined): TestSend {
  if (!b || b.id !== a.id) return a;
  return RANK[b.status] > RANK[a.status] ? b : a;
}
