/**
 * Slack incoming-webhook bodies. Slack's mrkdwn has no escape for `* _ ~ \``, so device text in a
 * mrkdwn `text` can turn bold, italic, struck or code. The message is shown from Block Kit sections
 * with `plain_text` text objects, which Slack shows as written; the top-level `text` stays as the
 * notification and screen-reader fallback that Slack asks for when a message has blocks.
 * Both hold the same text: the values with `& < >` as entities (escapeChat), which every Slack text needs.
 * Rules: https://docs.slack.dev/reference/block-kit/composition-objects/text-object (1-3000 characters),
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */

/** Slack's limit for a section's text object */
const SLACK_SECTION_MAX = 3000;
/** Slack's limit of blocks in one message */
export const SLACK_MAX_BLOCKS = 50;

export interface SlackPlainSection {
  type: 'section';
  text: { type: 'plain_text'; text: string; emoji: false };
}

export interface SlackBody {
  text: string;
  blocks?: SlackPlainSection[];
}

/** where to cut `s` at most `max` long: not inside `&amp;`/`&lt;`/`&gt;` nor a surrogate pair */
function cutAt(s: string, max: number): number {
  let at = max;
  const amp = s.lastIndexOf('&', at - 1);
  if (amp >= 0 && at - amp < 5 && !s.slice(amp, at).includes(';')) at = amp;
  const c = s.charCodeAt(at - 1);
  if (c >= 0xd800 && c <= 0xdbff) at--;
  return at > 0 ? at : max;
}

/** `text` in pieces of at most `max` characters, cut between lines where a line fits */
export function slackChunks(text: string, max = SLACK_SECTION_MAX): string[] {
  const chunks: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur.trim()) chunks.push(cur);
    cur = '';
  };
  for (let line of text.split('\n')) {
    if (cur && cur.length + 1 + line.length <= max) {
      cur += '\n' + line;
      continue;
    }
    flush();
    while (line.length > max) {
      const at = cutAt(line, max);
      cur = line.slice(0, at);
      flush();
      line = line.slice(at);
    }
    cur = line;
  }
  flush();
  return chunks;
}

const section = (text: string): SlackPlainSection => ({ type: 'section', text: { type: 'plain_text', text, emoji: false } });

/** `text`: Slack text with the values already escaped (`& < >`); blocks show it literally, no mrkdwn */
export function slackBody(text: string): SlackBody {
  const chunks = slackChunks(text);
  if (!chunks.length) return { text };
  if (chunks.length > SLACK_MAX_BLOCKS) {
    const cut = chunks.splice(SLACK_MAX_BLOCKS - 1);
    chunks.push(`(message cut: ${cut.reduce((n, c) => n + c.length, 0)} more characters not shown)`);
  }
  return { text, blocks: chunks.map(section) };
}
