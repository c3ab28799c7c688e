import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAP_RULES } from '../../src/alerts/default-rules.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { NotificationsSchema } from '../../src/alerts/notify/schema.ts';
import { TrapRulesSchema } from '../../src/alerts/rule-schema.ts';
import { RuleSet } from '../../src/alerts/rules.ts';
import { MemorySink } from '../../src/model/sample.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import { TrapProcessor } from '../../src/traps/processor.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { MemoryTrapLog } from '../../src/traps/trap-log.ts';
import { smtpSink, webhookServer } from '../alerts/sinks.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

let hook: Awaited<ReturnType<typeof webhookServer>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;
let receiver: TrapReceiver;
let notifier: Notifier;
let port = 0;
const alerts = new AlertManager();
const sink = new MemorySink();
const log = new MemoryTrapLog();

beforeAll(async () => {
  requireSnmptrap();
  hook = await webhookServer();
  smtp = await smtpSink();
  notifier = new Notifier(NotificationsSchema.parse({
    channels: [
      { name: 'ops', type: 'webhook', url: hook.url('/ops'), secret: 'k' },
      { name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, from: 'netpulse@example.org', to: 'noc@example.org' },
    ],
    routes: [{ minSeverity: 'major', channels: ['mail'] }],
  }));
  notifier.attach(alerts);
  const userRules = TrapRulesSchema.parse([
    { id: 'core-links', trap: '1.3.6.1.6.3.1.1.5.3', tags: { role: 'core' }, vars: { ifIndex: '1.3.6.1.2.1.2.2.1.1', ifDescr: '1.3.6.1.2.1.2.2.1.2' },
      severity: 'critical', message: '{device} {ifDescr} down', key: '{device}:{ifIndex}', clearedBy: '1.3.6.1.6.3.1.1.5.4', notify: ['ops'] },
  ]);
  const processor = new TrapProcessor({
    rules: new RuleSet([...userRules, ...DEFAULT_TRAP_RULES]),
    alerts, sink, log,
    deviceTags: (d): Record<string, string> => (d === 'core1' ? { role: 'core' } : {}),
  });
  receiver = new TrapReceiver({
    config: TrapsConfigSchema.parse({
      listen: '127.0.0.1:0',
      communities: [{ name: 'lab', community: 'pub-lab' }],
      users: [{ user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'ops-auth-pass', privProtocol: 'AES', privKey: 'ops-priv-pass' }],
    }),
    resolveDevice: (a) => (a === '127.0.0.1' ? 'core1' : undefined),
    record: processor.record,
  });
  port = (await receiver.start())[0].port;
});
afterAll(async () => {
  await receiver?.stop();
  notifier?.close();
  await hook?.close();
  await smtp?.close();
});

describe('trap → rule → alert → notification', () => {
  it('a linkDown from snmptrap opens a critical alert, posts the webhook and mails', async () => {
    const r = await snmptrap(['-v', '2c', '-c', 'pub-lab', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.5', 'i', '5', '1.3.6.1.2.1.2.2.1.2.5', 's', 'xe-0/0/5']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => hook.hits.length >= 1 && smtp.mails.length >= 1, 10_000, 'webhook and mail');
    expect(JSON.parse(hook.hits[0].body)).toMatchObject({ event: 'opened', alert: { key: 'core-links:core1:5', message: 'core1 xe-0/0/5 down', severity: 'critical' } });
    expect(smtp.mails[0].data).toContain('core1 xe-0/0/5 down');
    expect(sink.samples.at(-1)).toMatchObject({ measurement: 'snmp_trap', tags: { device: 'core1', version: '2c', severity: 'critical' }, fields: { count: 1n } });
    expect(log.list(1)[0].rules).toEqual(['core-links']);
  });

  it('a v3 authPriv linkUp with the same ifIndex clears it and notifies the clear', async () => {
    const r = await snmptrap(['-v', '3', '-u', 'ops', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'ops-auth-pass', '-x', 'AES', '-X', 'ops-priv-pass',
      '-e', '0x80000000aabbccddee', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.5', 'i', '5']);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => hook.hits.length >= 2, 10_000, 'clear webhook');
    expect(JSON.parse(hook.hits[1].body)).toMatchObject({ event: 'cleared', alert: { state: 'cleared', clearedBy: 'auto' } });
    expect(alerts.store.list({ state: 'active' })).toHaveLength(0);
  });

  it('a v1 coldStart hits the shipped rule', async () => {
    const r = await snmptrap(['-v', '1', '-c', 'pub-lab', `127.0.0.1:${port}`, '1.3.6.1.4.1.8072.3.2.10', '127.0.0.1', '0', '0', '']);
    expect(r.code, r.stderr).toBe(0);
    const a = await waitFor(() => alerts.store.active('coldStart:core1'), 20_000, 'coldStart alert');
    expect(a).toMatchObject({ severity: 'warning', source: 'trap' });
  });
});
