// Slack mrkdwn has no escape for * _ ~ `: device text is shown from plain_text blocks, literally;
// the top-level text stays as the notification fallback, & < > escaped in both.
import { describe, expect, it } from 'vitest';
import { DigestCollector } from '../../src/alerts/notify/digest.ts';
import { SLACK_MAX_BLOCKS, slackBody, slackChunks } from '../../src/alerts/notify/slack.ts';
import { chatChannels, opened, postedOnDevice, T0 } from './chat-channel.ts';

const channel = chatChannels();
const slackHook = (template?: string) => channel('slack', template);

const plain = (text: string) => ({ type: 'section', text: { type: 'plain_text', text, emoji: false } });

describe('slack: device text is shown literally (plain_text), not as mrkdwn', () => {
  it.each([
    // [message (trap varbind, ifAlias), device (sysName), shown and fallback text]
    ['*bold* uplink', 'sw1', '*bold* uplink on sw1'],
    ['_x_ port', 'sw1', '_x_ port on sw1'],
    ['~s~ struck', 'sw1', '~s~ struck on sw1'],
    ['`c` code', 'sw1', '`c` code on sw1'],
    ['ping <!channel> now', 'sw1', 'ping &lt;!channel&gt; now on sw1'],
    ['R&D lab', 'sw1', 'R&amp;D lab on sw1'],
    ['<https://evil.example|click>', '*core*_sw_~1~', '&lt;https://evil.example|click&gt; on *core*_sw_~1~'],
    ['```\nblock\n```', '> quoted', '```\nblock\n``` on &gt; quoted'],
  ])('%j on %j', async (message, device, shown) => {
    expect(await postedOnDevice(channel, 'slack', message, device)).toEqual({ text: shown, blocks: [plain(shown)] });
  });

  it('the default text too', async () => {
    const { sink, ch } = await slackHook();
    await ch.send(opened('*bold* <!here>', '_sw1_'));
    const body = JSON.parse(sink.hits[0].body) as { text: string; blocks: unknown[] };
    expect(body.text).toMatch(/^\[MAJOR\] OPEN: \*bold\* &lt;!here&gt; \(device _sw1_, count 1, /);
    expect(body.blocks).toEqual([plain(body.text)]);
  });

  it('a digest: every block plain_text, the values escaped', async () => {
    const { sink, ch } = await slackHook();
    const col = new DigestCollector(5);
    col.add(opened('*bold* & <!channel>', '`sw1`'), T0);
    await ch.sendDigest(col.take('noc'));
    const body = JSON.parse(sink.hits[0].body) as { text: string; blocks: { text: { type: string; text: string } }[] };
    expect(body.text).toContain('*bold* &amp; &lt;!channel&gt; (device `sw1`, ');
    expect(body.blocks.map((b) => b.text.type)).toEqual(['plain_text']);
    expect(body.blocks[0].text.text).toBe(body.text);
  });
});

describe('slack text in sections of at most 3000 characters', () => {
  it.each([
    ['a\nb', 3, ['a\nb']],
    ['aa\nbb', 3, ['aa', 'bb']],
    ['abcdefg', 3, ['abc', 'def', 'g']],
    ['abcd&amp;x', 6, ['abcd', '&amp;x']],
    ['abcd&lt;', 7, ['abcd', '&lt;']],
    ['ab\u{1F600}c', 3, ['ab', '\u{1F600}c']],
    ['x\n\n\ny', 10, ['x\n\n\ny']],
    ['', 10, []],
    ['  \n ', 10, []],
  ])('%j by %i: %j', (text, max, chunks) => {
    expect(slackChunks(text, max)).toEqual(chunks);
  });

  it('an empty text gets no block (Slack refuses an empty text object)', () => {
    expect(slackBody('')).toEqual({ text: '' });
  });

  it('a text over 50 sections is cut, and says so', () => {
    const text = Array.from({ length: 60 }, (_, i) => String(i % 10).repeat(3000)).join('\n');
    const { blocks } = slackBody(text);
    expect(blocks).toHaveLength(SLACK_MAX_BLOCKS);
    expect(blocks!.every((b) => b.text.text.length <= 3000)).toBe(true);
    expect(blocks!.at(-1)!.text.text).toBe(`(message cut: ${11 * 3000} more characters not shown)`);
  });
});
