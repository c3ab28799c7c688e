import { describe, expect, it } from 'vitest';
import { trapsSchema } from '../../src/config/sections/traps.ts';
import { notificationsSchema } from '../../src/config/sections/notifications.ts';
import { receiverConfigFrom, TrapsConfigSchema } from '../../src/traps/config.ts';

describe('traps config section → receiver config', () => {
  it('maps labels, engine IDs, allow-lists and listen addresses', () => {
    const section = trapsSchema.parse({
      listen: '127.0.0.1:1162',
      listenAlso: ['[::1]:1162'],
      communities: ['plain-secret', { name: 'core', community: 'core-secret', allowFrom: ['10.0.0.0/8'] }],
      users: [{ user: 'u', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'authpass123', privProtocol: 'AES', privKey: 'privpass123', engineId: '0x8000000001020304' }],
      rules: [{ id: 'x', trap: '1.3.6.1.4.1.9.*', severity: 'critical' }],
    });
    const cfg = receiverConfigFrom(section);
    expect(cfg.listen).toEqual(['127.0.0.1:1162', '[::1]:1162']);
    expect(cfg.communities).toEqual([{ community: 'plain-secret', allow: [] }, { name: 'core', community: 'core-secret', allow: ['10.0.0.0/8'] }]);
    expect(cfg.users[0]).toMatchObject({ authProtocol: 'SHA-256', privProtocol: 'AES', engineIds: ['8000000001020304'] });
    expect(cfg.rules[0]).toMatchObject({ id: 'x', severity: 'critical', enabled: true });
  });

  it.each<[unknown, string]>([
    [{ listen: '1.2.3.4' }, 'listen'],
    [{ users: [{ user: 'u', level: 'authPriv', authProtocol: 'SHA', authKey: 'short' }] }, 'users'],
    [{ rules: [{ id: 'r', trap: '*', severity: 'urgent' }] }, 'rules'],
    [{ allowFrom: ['10.0.0.0/33'] }, 'allowFrom'],
  ])('rejects %j at %s', (input, path) => {
    const r = trapsSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(String(r.error!.issues[0].path[0])).toBe(path);
  });

  it('the receiver schema rejects bad CIDRs and engine IDs', () => {
    expect(TrapsConfigSchema.safeParse({ allow: ['nope'] }).success).toBe(false);
    expect(TrapsConfigSchema.safeParse({ users: [{ user: 'u', level: 'noAuthNoPriv', engineIds: ['zz'] }] }).success).toBe(false);
  });
});

describe('notifications section', () => {
  it('validates channels by name and routes', () => {
    const n = notificationsSchema.parse({
      channels: { ops: { type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'x' }, chat: { type: 'slack', url: 'http://127.0.0.1:9/s' } },
      routes: [{ minSeverity: 'major', channels: ['ops', 'chat'] }],
    });
    expect(n.channels.map((c) => c.name)).toEqual(['ops', 'chat']);
    const bad = notificationsSchema.safeParse({ channels: { m: { type: 'email', host: 'localhost' } }, routes: [{ channels: ['nope'] }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['channels.m.from', 'routes.0.channels.0']));
  });
});
