// The real Notifier on a manager, with a channel that records what it would send (`kind device @seconds since t0`),
// and the manager's changes as text: what the parent-hold tests assert on.
import type { AlertManager } from '../../src/alerts/manager.ts';
import type { Channel } from '../../src/alerts/notify/channels.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { NotificationsSchema } from '../../src/alerts/notify/schema.ts';
import type { AlertChange } from '../../src/alerts/types.ts';

export function recordingNotifier(m: AlertManager, t0: number) {
  const sent: string[] = [];
  const channel: Channel = {
    name: 'rec', type: 'webhook',
    send: async (c) => void sent.push(`${c.kind} ${c.alert.device} @${(Date.now() - t0) / 1000}s`),
    sendDigest: async () => void sent.push('digest'),
  };
  // the route also takes repeats and acks, which must stay silent while held
  const n = new Notifier(NotificationsSchema.parse({
    channels: [{ name: 'rec', type: 'webhook', url: 'http://127.0.0.1:9/' }],
    routes: [{ channels: ['rec'], kinds: ['opened', 'escalated', 'repeated', 'acknowledged', 'cleared'] }],
  }), { channels: [channel] });
  n.attach(m);
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.device} notify=${c.notify}${c.held ? ' held' : ''}`));
  const notified = async () => {
    await n.idle();
    return sent;
  };
  return { changes, notified };
}
