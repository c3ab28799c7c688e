/**
 * The recent-event ring behind SSE replay: every pushed value gets the next id (ids are
 * consecutive, so an id finds its slot in O(1)); the oldest values are evicted once the ring
 * holds more than `maxEvents` values or more than `maxBytes` bytes (the newest value is always
 * kept, whatever its size). Pure logic: no I/O, no clock.
 */
export interface EventRingLimits {
  /** values kept at most */
  maxEvents: number;
  /** sum of the values' byte sizes kept at most */
  maxBytes: number;
}

export interface RingEntry<T> {
  id: number;
  value: T;
}

/**
 * Where a client that last saw `lastId` can resume:
 * - `ok`: every value after `lastId` is still held (possibly none);
 * - `too-old`: values after `lastId` were evicted;
 * - `unknown`: `lastId` was never issued by this ring (a future id, another process's id).
 */
export type ResumeCheck = 'ok' | 'too-old' | 'unknown';

export class EventRing<T> {
  private readonly slots: (RingEntry<T> & { bytes: number })[];
  /** index of the oldest held entry in `slots` */
  private head = 0;
  private count = 0;
  private heldBytes = 0;
  private nextId: number;
  private readonly firstIssuedId: number;

  /** `firstId`: the id the first value gets; ids from an earlier process should be lower (see the SSE route) */
  constructor(private readonly limits: EventRingLimits, firstId = 1) {
    if (!Number.isSafeInteger(limits.maxEvents) || limits.maxEvents < 1) throw new RangeError(`event ring: maxEvents must be a positive integer, got ${limits.maxEvents}`);
    if (!(limits.maxBytes > 0)) throw new RangeError(`event ring: maxBytes must be positive, got ${limits.maxBytes}`);
    if (!Number.isSafeInteger(firstId) || firstId < 1) throw new RangeError(`event ring: firstId must be a positive safe integer, got ${firstId}`);
    this.slots = new Array(limits.maxEvents);
    this.nextId = firstId;
    this.firstIssuedId = firstId;
  }

  /** the id of the newest value; `firstId - 1` before the first push */
  get lastId(): number { return this.nextId - 1; }
  /** the id of the oldest value held; `lastId + 1` when the ring is empty */
  get oldestId(): number { return this.nextId - this.count; }
  get size(): number { return this.count; }
  get bytes(): number { return this.heldBytes; }

  /** stores `value` (`bytes` long) and returns its id */
  push(value: T, bytes: number): number {
    const id = this.nextId++;
    if (this.count === this.limits.maxEvents) this.evictOldest();
    this.slots[(this.head + this.count) % this.limits.maxEvents] = { id, value, bytes };
    this.count++;
    this.heldBytes += bytes;
    while (this.count > 1 && this.heldBytes > this.limits.maxBytes) this.evictOldest();
    return id;
  }

  resumeFrom(lastId: number): ResumeCheck {
    if (!Number.isSafeInteger(lastId) || lastId > this.lastId || lastId < this.firstIssuedId - 1) return 'unknown';
    return lastId >= this.oldestId - 1 ? 'ok' : 'too-old';
  }

  /** the held entry with this id */
  get(id: number): RingEntry<T> | undefined {
    if (!Number.isSafeInteger(id) || id < this.oldestId || id > this.lastId) return undefined;
    const slot = this.slots[(this.head + (id - this.oldestId)) % this.limits.maxEvents];
    return { id: slot.id, value: slot.value };
  }

  /** the held entries with ids above `lastId`, oldest first, at most `limit` */
  after(lastId: number, limit = Infinity): RingEntry<T>[] {
    const out: RingEntry<T>[] = [];
    for (let id = Math.max(lastId + 1, this.oldestId); id <= this.lastId && out.length < limit; id++) out.push(this.get(id)!);
    return out;
  }

  private evictOldest(): void {
    const slot = this.slots[this.head];
    this.heldBytes -= slot.bytes;
    this.slots[this.head] = undefined as never;
    this.head = (this.head + 1) % this.limits.maxEvents;
    this.count--;
  }
}
