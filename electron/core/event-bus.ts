import { events, type EventEnvelope, type EventName, type EventPayload } from '../../shared/contract';

type Listener = (envelope: EventEnvelope) => void;

/** Pushes contract events to every transport; payloads are checked against the contract before they leave. */
export class EventBus {
  private listeners = new Set<Listener>();

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    const checked = events[event].parse(payload) as EventPayload<K>;
    const envelope = { event, payload: checked } as EventEnvelope;
    for (const listener of this.listeners) listener(envelope);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
