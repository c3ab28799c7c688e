/**
 * Maintenance window names stay unique across the config file and the API: a config window
 * hides an API window of its name (neither listed nor applied), warned, until it leaves the file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MaintenanceWindowSpec } from '../../src/alerts/maintenance-schema.ts';
import { MaintenanceWindows } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const spec = (name: string, devices: string[]): MaintenanceWindowSpec => ({ name, devices, tags: {}, schedule: '0 2 * * *', duration: 3_600_000 });
const listed = (w: MaintenanceWindows) => w.windows().map((x) => `${x.name}/${x.origin}/${x.devices.join(',')}`);

let state: StateStore | undefined;
afterEach(() => state?.close());

describe('a config maintenance window named like an API window', () => {
  it('added by a reload: the config one alone is listed, the API one reported shadowed, and back once the config one goes', () => {
    state = new StateStore(':memory:');
    const w = new MaintenanceWindows([], state);
    w.create(spec('nightly', ['sw1']), 'ops');
    expect(() => w.create(spec('nightly', ['sw1']), 'ops')).toThrow(/a window with this name exists/);
    let heard = 0;
    w.onChange(() => heard++);
    expect(w.setConfigWindows([spec('nightly', ['sw2'])])).toEqual({ added: ['nightly'], changed: [], removed: [], shadowed: ['nightly'] });
    expect(listed(w)).toEqual(['nightly/config/sw2']);
    expect(w.setConfigWindows([spec('nightly', ['sw3'])])).toEqual({ added: [], changed: ['nightly'], removed: [], shadowed: [] });
    expect(w.setConfigWindows([])).toEqual({ added: [], changed: [], removed: ['nightly'], shadowed: [] });
    expect(listed(w)).toEqual(['nightly/api/sw1']);
    expect(heard).toBe(3);
  });

  it('at start-up: warned, the API one hidden, and still removable by its id', () => {
    state = new StateStore(':memory:');
    const id = new MaintenanceWindows([], state).create(spec('nightly', ['sw1']), 'ops').id;
    const log: string[] = [];
    const w = new MaintenanceWindows([spec('nightly', ['sw2'])], state, Date.now, (l) => log.push(l));
    expect(log).toEqual(['alerts: warning: maintenance window "nightly" of the config file hides the API-created window of that name (only the config one is listed and applied; rename or remove one of them)']);
    expect(listed(w)).toEqual(['nightly/config/sw2']);
    expect(w.remove(id)).toBe(true);
    expect(w.setConfigWindows([])).toEqual({ added: [], changed: [], removed: ['nightly'], shadowed: [] });
    expect(listed(w)).toEqual([]);
  });
});
