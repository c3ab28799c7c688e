// Mattermost and Teams render Markdown: device text (messages, sysName, ifAlias, varbinds) is
// escaped so it shows as typed and notifies no one; the template and our own lines keep their markup.
import { describe, expect, it } from 'vitest';
import { escapeMattermost } from '../../src/alerts/notify/chat-escape.ts';
import { DigestCollector } from '../../src/alerts/notify/digest.ts';
import { chatChannels, opened, postedOnDevice, T0 } from './chat-channel.ts';

const ZWSP = '\u200b';

const channel = chatChannels();

async function hook(type: 'mattermost' | 'teams', template?: string) {
  const { sink, ch } = await channel(type, template);
  return { ch, text: (n = 0) => (JSON.parse(sink.hits[n].body) as { text: string }).text };
}

/** the text a `type` channel posts for `message` on `device` (template `{message} on {device}`) */
const textOnDevice = async (type: 'mattermost' | 'teams', message: string, device: string) =>
  ((await postedOnDevice(channel, type, message, device)) as { text: string }).text;

describe('mattermost: device text is shown literally', () => {
  it.each([
    // [message (trap varbind, ifAlias), device (sysName), text sent]
    ['*bold* uplink', 'sw1', '\\*bold\\* uplink on sw1'],
    ['_x_ port', 'sw_1_', '\\_x\\_ port on sw\\_1\\_'],
    ['~~s~~ struck', 'sw1', '\\~\\~s\\~\\~ struck on sw1'],
    ['`c` code\n```\nblock\n```', 'sw1', '\\`c\\` code\n\\`\\`\\`\nblock\n\\`\\`\\` on sw1'],
    ['# head', '## core', '\\# head on \\## core'],
    ['> quoted', 'sw1', '&gt; quoted on sw1'],
    ['| a | b |\n|---|---|', 'sw1', '\\| a \\| b \\|\n\\|---\\|---\\| on sw1'],
    ['[click](https://evil.example) ![x](https://t.example/p.gif)', 'sw1', '\\[click\\](https://evil.example) !\\[x\\](https://t.example/p.gif) on sw1'],
    ['ping <!channel> @channel @all @here', '@sw1', `ping &lt;!channel&gt; @${ZWSP}channel @${ZWSP}all @${ZWSP}here on @${ZWSP}sw1`],
    ['<b>R&D</b> <img src=x>', 'sw1', '&lt;b&gt;R&amp;D&lt;/b&gt; &lt;img src=x&gt; on sw1'],
    ['- item\n+ more\n  12. num\n3) x\n---\n===\n-5 dBm', 'sw1', '\\- item\n\\+ more\n  12\\. num\n3\\) x\n\\---\n&#61;==\n-5 dBm on sw1'],
    ['c:\\temp\\ and \\*x\\* and \\_', 'sw1', 'c:\\temp\\\\ and \\\\\\*x\\\\\\* and \\\\\\_ on sw1'],
    ['Gi0/1 (uplink) down: see https://noc.example/a-b.html', 'sw-1.lab', 'Gi0/1 (uplink) down: see https://noc.example/a-b.html on sw-1.lab'],
  ])('%j on %j', async (message, device, sent) => {
    expect(await textOnDevice('mattermost', message, device)).toBe(sent);
  });

  it.each([
    // bare URLs are auto-linked from the raw text: their `_ * ~` stay, or the link would hold the backslash
    ['see https://noc.example/if_err?d=sw_1&x=*a*~b~c now', 'sw_1', 'see https://noc.example/if_err?d=sw_1&amp;x=*a*~b~c now on sw\\_1'],
    ['(https://noc.example/a_b) and _x_', 'sw1', '(https://noc.example/a_b) and \\_x\\_ on sw1'],
    ['HTTP://noc.example/a_b_. next', 'sw1', 'HTTP://noc.example/a_b\\_. next on sw1'],
    ['- https://noc.example/x_y\n# h', 'sw1', '\\- https://noc.example/x_y\n\\# h on sw1'],
    // not auto-linked (inside a word), or where the link ends: escaped as before
    ['xhttps://evil.example/_a_', 'sw1', 'xhttps://evil.example/\\_a\\_ on sw1'],
    ['https://noc.example/a_b|c_d', 'sw1', 'https://noc.example/a_b\\|c\\_d on sw1'],
    ['https://noc.example/`a`_b', 'sw1', 'https://noc.example/\\`a\\`\\_b on sw1'],
    ['https://noc.example/a<b>_c_', 'sw1', 'https://noc.example/a&lt;b&gt;\\_c\\_ on sw1'],
    // a mention inside a URL still notifies nobody
    ['https://noc.example/@channel_x', 'sw1', `https://noc.example/@${ZWSP}channel_x on sw1`],
    // a link inside a URL, which commonmark.js (the mobile app) would parse: the URL ends at `[ ] \`, the rest escaped
    ['https://noc.example/[click](https://evil.example)', 'sw1', 'https://noc.example/\\[click\\](https://evil.example) on sw1'],
    ['https://noc.example/a_b\\[x](https://evil.example)', 'sw1', 'https://noc.example/a_b\\\\\\[x\\](https://evil.example) on sw1'],
  ])('bare URL: %j on %j', async (message, device, sent) => {
    expect(await textOnDevice('mattermost', message, device)).toBe(sent);
  });

  it('a bare URL with a 1 MB run of trailing punctuation inside it is escaped in one pass (no backtracking per character)', () => {
    const run = '_'.repeat(1 << 20);
    expect(escapeMattermost(`see https://noc.example/a${run}b and ${run}`)).toBe(`see https://noc.example/a${run}b and ${'\\_'.repeat(1 << 20)}`);
    expect(escapeMattermost(`(https://noc.example/a${'.'.repeat(1 << 20)}) x`)).toBe(`(https://noc.example/a${'.'.repeat(1 << 20)}) x`);
  });

  it('the template keeps its markup and mention, the default text its own words', async () => {
    const own = await hook('mattermost', '@oncall **{SEVERITY}** {message} ([UI](https://netpulse.example/#/alerts))');
    await own.ch.send(opened('*x* @channel', 'sw1'));
    expect(own.text()).toBe(`@oncall **MAJOR** \\*x\\* @${ZWSP}channel ([UI](https://netpulse.example/#/alerts))`);
    const def = await hook('mattermost');
    await def.ch.send(opened('_x_', '#sw1'));
    expect(def.text()).toMatch(/^\[MAJOR\] OPEN: \\_x\\_ \(device \\#sw1, count 1, first 2026-12-04T08:00:00\.000Z, /);
  });

  it('a digest: its own list lines stay a list, the values inside are escaped', async () => {
    const { ch, text } = await hook('mattermost');
    const col = new DigestCollector(5);
    col.add(opened('*bold* | @all', '- sw_1'), T0);
    await ch.sendDigest(col.take('noc'));
    expect(text()).toContain(`\n- [MAJOR] OPEN: \\*bold\\* \\| @${ZWSP}all (device \\- sw\\_1, 2026-12-04T08:00:00.000Z)\n`);
    expect(text()).toContain('\ntop devices: \\- sw\\_1 (1)');
  });
});

describe('teams: device text is shown literally (backslash escapes, entities for & < >)', () => {
  it.each([
    ['*bold* _x_ ~~s~~ `c`', 'sw_1', '\\*bold\\* \\_x\\_ \\~\\~s\\~\\~ \\`c\\` on sw\\_1'],
    ['# head\n- item\n12. num', 'sw1', '\\# head\n\\- item\n12\\. num on sw1'],
    ['[click](https://evil.example) <b>R&D</b>', 'sw1', '\\[click\\](https://evil.example) &lt;b&gt;R&amp;D&lt;/b&gt; on sw1'],
  ])('%j on %j', async (message, device, sent) => {
    expect(await textOnDevice('teams', message, device)).toBe(sent);
  });
});
