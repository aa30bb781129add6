import { describe, expect, it } from 'vitest';
import type { TestSend } from '../../../shared/messages';
import { furthest } from '../../../renderer/components/messages/test-receipts';

const view = (id: number, status: TestSend['status']): TestSend => ({ id, numberId: 'n1', phone: '+525598765432', text: 'Hola', status, error: null });

describe('the test send panel keeps the furthest receipt', () => {
  it('an answer that comes after the read receipt does not take the panel back to "sent"', () => {
    expect(furthest(view(7, 'sent'), view(7, 'read')).status).toBe('read');
    expect(furthest(view(7, 'read'), view(7, 'delivered')).status).toBe('read');
  });
  it('a refusal ends it, and a receipt of another test is ignored', () => {
    expect(furthest(view(7, 'delivered'), view(7, 'failed')).status).toBe('failed');
    expect(furthest(view(7, 'sent'), view(8, 'read')).status).toBe('sent');
    expect(furthest(view(7, 'sent'), undefined).status).toBe('sent');
  });
});
