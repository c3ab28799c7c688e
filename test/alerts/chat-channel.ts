/** Set-up shared by the tests of what a chat channel (Slack, Mattermost, Teams) posts: an opened alert, a channel posting to a local sink. */
import { afterEach } from 'vitest';
import { createChannel } from '../../src/alerts/notify/channels.ts';
import { ChannelSchema, type ChatChannelConfig } from '../../src/alerts/notify/schema.ts';
import type { AlertChange } from '../../src/alerts/types.ts';
import { webhookServer } from './sinks.ts';

/** when `opened` alerts were first and last seen */
export const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);

/** a major link-down alert opened at T0 with `message` on `device` */
export function opened(message: string, device: string): AlertChange {
  return {
    kind: 'opened', notify: true,
    alert: {
      id: 'a1', key: 'k1', source: 'trap', rule: 'link-down', device, severity: 'major', message, state: 'open',
      firstSeen: T0, lastSeen: T0, count: 1, flapping: false, labels: {},
    },
  };
}

/**
 * Returns a maker of channels named `noc` of a chat type (with `template` if given), each posting
 * to a new local sink; the sinks are closed after each test.
 */
export function chatChannels() {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  return async (type: ChatChannelConfig['type'], template?: string) => {
    const sink = await webhookServer();
    cleanups.push(sink.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'noc', type, url: sink.url(), ...(template ? { template } : {}) }));
    return { sink, ch };
  };
}

/**
 * The JSON body a `type` channel of `channel` (chatChannels) posts for an alert opened with
 * `message` on `device`, through the template `{message} on {device}`: the check of the case
 * tables of how device text shows.
 */
export async function postedOnDevice(channel: ReturnType<typeof chatChannels>, type: ChatChannelConfig['type'], message: string, device: string): Promise<unknown> {
  const { sink, ch } = await channel(type, '{message} on {device}');
  await ch.send(opened(message, device));
  return JSON.parse(sink.hits[0].body);
}
