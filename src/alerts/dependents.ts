/**
 * Which held or suppressed alerts a device's state change can affect: an alert's suppression
 * (suppression.ts) reads the states of its own device and of its ancestors only, so each alert key
 * is filed under its device and every ancestor (`parentsOf`, transitively; a loop ends the walk).
 */
export class DeviceDependents {
  /** device → keys of the alerts filed under it */
  private readonly byDevice = new Map<string, Set<string>>();
  /** key → the devices it is filed under */
  private readonly byKey = new Map<string, readonly string[]>();

  constructor(private readonly parentsOf: (device: string) => readonly string[]) {}

  /** files `key` under `device` and its ancestors as they are now; a parentsOf that throws throws, the key then filed nowhere */
  add(key: string, device: string): void {
    this.remove(key);
    const devices = this.lineOf(device);
    this.byKey.set(key, devices);
    for (const d of devices) {
      let keys = this.byDevice.get(d);
      if (!keys) this.byDevice.set(d, (keys = new Set()));
      keys.add(key);
    }
  }

  remove(key: string): void {
    const devices = this.byKey.get(key);
    if (!devices) return;
    this.byKey.delete(key);
    for (const d of devices) {
      const keys = this.byDevice.get(d);
      keys?.delete(key);
      if (keys?.size === 0) this.byDevice.delete(d);
    }
  }

  /** the keys filed under `device` */
  of(device: string): ReadonlySet<string> {
    return this.byDevice.get(device) ?? EMPTY;
  }

  /** `device` and all its ancestors, each once */
  private lineOf(device: string): string[] {
    const seen = new Set<string>([device]);
    const todo = [device];
    while (todo.length > 0) {
      for (const p of this.parentsOf(todo.pop()!)) {
        if (seen.has(p)) continue;
        seen.add(p);
        todo.push(p);
      }
    }
    return [...seen];
  }
}

const EMPTY: ReadonlySet<string> = new Set();
