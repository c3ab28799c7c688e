/** EventsPort: one in-process bus the runtime publishes device-state, alert and trap events on. */
import { EventEmitter } from 'node:events';
import type { ApiEvent, EventsPort } from '../../api/services.ts';

export class EventBus implements EventsPort {
  private readonly emitter = new EventEmitter<{ event: [ApiEvent] }>();

  constructor() {
    // every SSE client is a listener
    this.emitter.setMaxListeners(0);
  }

  publish(event: ApiEvent): void {
    for (const l of this.emitter.listeners('event')) {
      try {
        l(event);
      } catch {
        // a listener (an SSE stream) that throws must not break the publisher
      }
    }
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
