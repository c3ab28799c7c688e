import { enrichEvent, type VarbindBytes } from './build-event.ts';
import type { TrapEvent, Translator } from './event.ts';

/**
 * Events received before the OID dictionary is loaded wait here (at most `max`), then are named
 * and handed on in arrival order; afterwards each is named and handed on at once. `record` is the
 * receiver's callback (with `bytesToRecord`): it returns at once while the events wait, so informs
 * are acknowledged on receipt. One that finds the queue full is dropped (counted); an inform then
 * throws, so it is not acknowledged and its sender sends it again.
 */
export class PendingNames {
  private waiting: { event: TrapEvent; bytes: VarbindBytes }[] | undefined = [];
  private translator: Translator | undefined;
  /** traps and informs dropped because the queue was full */
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly deliver: (event: TrapEvent) => void | Promise<void>,
    /** called at the first drop, with the queue's size */
    private readonly onFull: (max: number) => void,
  ) {}

  get pending(): number {
    return this.waiting?.length ?? 0;
  }

  readonly record = (event: TrapEvent, bytes: VarbindBytes): void | Promise<void> => {
    if (!this.waiting) {
      enrichEvent(event, this.translator, undefined, bytes);
      return this.deliver(event);
    }
    if (this.waiting.length >= this.max) {
      if (++this.dropped === 1) this.onFull(this.max);
      if (event.pdu === 'InformRequest') throw new Error(`trap queue full (${this.max} waiting for the OID dictionary): inform not acknowledged`);
      return;
    }
    this.waiting.push({ event, bytes });
  };

  /** the dictionary is loaded (or will not be: undefined); names and hands on the waiting events, in arrival order */
  settle(translator: Translator | undefined): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    this.translator = translator;
    for (const { event, bytes } of waiting) {
      enrichEvent(event, translator, undefined, bytes);
      try {
        void Promise.resolve(this.deliver(event)).catch(() => undefined);
      } catch {
        // a failing consumer must not keep the others from their events
      }
    }
  }
}
