/**
 * Maintenance windows of the running netpulse: the config file's (read-only, id `config.<name>`)
 * and the API's (StateStore `maintenance_windows`). Every change is handed to the listeners
 * (the alert manager re-evaluates its suppressed alerts). Names are unique (a suppressed alert
 * records the window's name): a config window hides an API window of its name, which is then
 * neither listed nor applied (warned) and is back when the config one leaves the file; the API
 * still reads it by id (marked `shadowedBy: "config"`, the config one `shadows: "api"`, as a
 * config device hiding an API one) and can delete it.
 */
import { randomUUID } from 'node:crypto';
import { windowCovers, windowSpanAt, nextStartAfter, type MaintenanceWindow } from '../alerts/maintenance.ts';
import { toWindow, type MaintenanceWindowSpec } from '../alerts/maintenance-schema.ts';
import type { MaintenancePort, MaintenanceWindowView } from '../api/services.ts';
import { NetpulseError } from '../errors/index.ts';
import type { StateStore } from '../storage/index.ts';

const err = (target: string, reason: string, kind: string) => new NetpulseError({ scope: 'maintenance', target, reason, kind });

/** API one-off windows are deleted this long after they ended */
const KEEP_ENDED_MS = 7 * 86_400_000;

export class MaintenanceWindows {
  private configWindows: MaintenanceWindow[];
  private all: MaintenanceWindow[] = [];
  /** the API windows hidden by a config window of their name, by id (the table does not make names unique) */
  private hidden = new Map<string, MaintenanceWindow>();
  private readonly listeners = new Set<() => void>();

  constructor(
    config: MaintenanceWindowSpec[],
    private readonly state: StateStore,
    private readonly now: () => number = Date.now,
    log: (line: string) => void = () => {},
  ) {
    this.configWindows = config.map((spec) => toWindow(spec, `config.${spec.name}`, 'config'));
    this.reload();
    for (const name of this.hiddenNames()) log(maintenanceShadowWarning(name));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** config windows first, then the API's, oldest first */
  windows(): readonly MaintenanceWindow[] {
    return this.all;
  }

  /** a listed window by id, or an API window a config window of its name hides (`hidden`) */
  byId(id: string): { window: MaintenanceWindow; hidden: boolean } | undefined {
    const listed = this.all.find((w) => w.id === id);
    if (listed) return { window: listed, hidden: false };
    const hidden = this.hidden.get(id);
    return hidden && { window: hidden, hidden: true };
  }

  /** whether the config window `name` hides an API-created window of its name */
  shadows(name: string): boolean {
    return this.hiddenNames().has(name);
  }

  private hiddenNames(): Set<string> {
    return new Set([...this.hidden.values()].map((w) => w.name));
  }

  create(spec: MaintenanceWindowSpec, by: string): MaintenanceWindow {
    if (this.all.some((w) => w.name === spec.name)) throw err(`window "${spec.name}"`, 'name: a window with this name exists', 'conflict');
    const w: MaintenanceWindow = { ...toWindow(spec, randomUUID(), 'api'), createdAt: this.now(), createdBy: by };
    const { id, origin: _origin, createdAt, createdBy, ...doc } = w;
    this.state.maintenance.create({ id, name: w.name, doc, createdAt: createdAt!, createdBy });
    this.changed();
    return w;
  }

  remove(id: string): boolean {
    if (this.configWindows.some((w) => w.id === id)) throw err(`window ${id}`, 'is defined in the config file; remove it there', 'conflict');
    const removed = this.state.maintenance.remove(id);
    if (removed) this.changed();
    return removed;
  }

  /**
   * swaps the config file's windows (a config reload); the listeners hear of it when any differs.
   * `shadowed`: API windows hidden since this change by a config window of their name.
   */
  setConfigWindows(config: MaintenanceWindowSpec[]): { added: string[]; changed: string[]; removed: string[]; shadowed: string[] } {
    const next = config.map((spec) => toWindow(spec, `config.${spec.name}`, 'config'));
    const before = new Map(this.configWindows.map((w) => [w.name, JSON.stringify(w)]));
    const after = new Map(next.map((w) => [w.name, JSON.stringify(w)]));
    const diff = {
      added: [...after.keys()].filter((n) => !before.has(n)),
      changed: [...after].filter(([n, w]) => before.has(n) && before.get(n) !== w).map(([n]) => n),
      removed: [...before.keys()].filter((n) => !after.has(n)),
    };
    const hiddenBefore = this.hiddenNames();
    if (diff.added.length || diff.changed.length || diff.removed.length) {
      this.configWindows = next;
      this.changed();
    }
    return { ...diff, shadowed: [...this.hiddenNames()].filter((n) => !hiddenBefore.has(n)) };
  }

  /** drops API one-off windows that ended more than 7 days ago */
  prune(): void {
    if (this.state.maintenance.pruneEnded(this.now() - KEEP_ENDED_MS) > 0) this.changed();
  }

  private reload(): void {
    const apiWindows = this.state.maintenance.list<Omit<MaintenanceWindow, 'id' | 'origin'>>().map((r) => ({
      ...r.doc, id: r.id, origin: 'api' as const, createdAt: r.createdAt, ...(r.createdBy ? { createdBy: r.createdBy } : {}),
    }));
    const configNames = new Set(this.configWindows.map((w) => w.name));
    this.hidden = new Map(apiWindows.filter((w) => configNames.has(w.name)).map((w) => [w.id, w]));
    this.all = [...this.configWindows, ...apiWindows.filter((w) => !configNames.has(w.name))];
  }

  private changed(): void {
    this.reload();
    for (const l of this.listeners) l();
  }
}

export function maintenanceShadowWarning(name: string): string {
  return `alerts: warning: maintenance window "${name}" of the config file hides the API-created window of that name (only the config one is listed and applied; rename or remove one of them)`;
}

/** the API's view: whether a window is active now, until when or from when, and which known devices it covers */
export function maintenanceView(w: MaintenanceWindow, now: number, devices: { name: string; tags: Record<string, string> }[]): MaintenanceWindowView {
  const span = windowSpanAt(w, now);
  const view: MaintenanceWindowView = {
    ...w, devices: [...w.devices], tags: { ...w.tags }, active: span !== undefined,
    covers: devices.filter((d) => windowCovers(w, d.name, d.tags)).map((d) => d.name),
  };
  if (span) view.activeUntil = span.end;
  else {
    const next = nextStartAfter(w, now);
    if (next !== undefined) view.nextStart = next;
  }
  return view;
}

export function maintenancePort(windows: MaintenanceWindows, devices: () => { name: string; tags: Record<string, string> }[], now: () => number = Date.now): MaintenancePort {
  /** the view, a config window hiding an API one marked `shadows: "api"` (as devices are) */
  const listedView = (w: MaintenanceWindow, t: number, known: { name: string; tags: Record<string, string> }[]): MaintenanceWindowView => {
    const v = maintenanceView(w, t, known);
    return w.origin === 'config' && windows.shadows(w.name) ? { ...v, shadows: 'api' } : v;
  };
  const view = (w: MaintenanceWindow) => listedView(w, now(), devices());
  return {
    list: async () => {
      const t = now();
      const known = devices();
      return windows.windows().map((w) => listedView(w, t, known));
    },
    get: async (id) => {
      const found = windows.byId(id);
      if (!found) return undefined;
      // a hidden window is not applied: its `active` and `covers` say what it would do once back
      return found.hidden ? { ...view(found.window), shadowedBy: 'config' } : view(found.window);
    },
    create: async (input, by) => view(windows.create(input, by)),
    remove: async (id) => windows.remove(id),
  };
}
