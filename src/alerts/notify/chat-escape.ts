/**
 * Escaping of device text (messages, device names, varbinds, server answers) for chat markup, so it
 * is shown as typed. The template around the values is the operator's own markup and is not escaped.
 * Why these characters and no others: notify/README.md ("Chat markup").
 */

/** a value for a chat text: `&`, `<`, `>` as entities, so trap text cannot make a Slack/Mattermost `<!channel>` or `<url|link>`, nor Teams HTML */
export const escapeChat = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A bare http(s) URL as the chat clients auto-link it: after the start, a blank or `(`; up to a
 * blank, `< > |`, a backtick, `[ ]` or `\` (those are escaped with the text around it: a URL
 * cannot hold a `[text](link)`, which the mobile app's commonmark.js would parse inside it);
 * trailing `? ! . , : ; * _ ~ ' " )` left out, as GFM and marked do (by urlEnd: a lazy match with
 * a lookahead for them backtracks quadratically on a run of them).
 */
const BARE_URL = /(?<=^|[\s(])https?:\/\/[^\s<>|`[\]\\]+/gi;
const URL_TRAIL = new Set('?!.,:;*_~\'")');

/** where the URL `m` (a BARE_URL match) ends without its trailing punctuation: at least one character after `//` stays */
function urlEnd(m: string): number {
  const least = m.indexOf('//') + 3;
  let end = m.length;
  while (end > least && URL_TRAIL.has(m[end - 1])) end--;
  return end;
}

/** `s` with `url` applied to its bare URLs and `rest` to the text around them */
function aroundUrls(s: string, url: (u: string) => string, rest: (t: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(BARE_URL)) {
    const end = m.index + urlEnd(m[0]);
    out += rest(s.slice(last, m.index)) + url(s.slice(m.index, end));
    last = end;
  }
  return out + rest(s.slice(last));
}

/**
 * Block markup at the start of a line (and of the value, which may start one): a list item (`- x`,
 * `+ x`, `1. x`, `1) x`), a rule or setext underline (`---`, `===`), a heading (`# x`). `=` has no
 * escape in Mattermost's web client, so it becomes `&#61;`, which no Markdown reads as markup.
 */
const escapeMattermostLineStarts = (s: string): string =>
  s
    .replace(/^([ \t]*)(-(?=[ \t]|$|-)|\+(?=[ \t]|$)|#)/gm, '$1\\$2')
    .replace(/^([ \t]*\d{1,9})([.)])(?=[ \t]|$)/gm, '$1\\$2')
    .replace(/^([ \t]*)=/gm, '$1&#61;');

/** inline markup of Mattermost outside bare URLs, which the clients auto-link from the raw text: a `\_` there would show in the link */
const escapeMattermostInline = (s: string): string =>
  escapeChat(s)
    .replace(/\\(?![A-Za-z0-9])/g, '\\\\')
    .replace(/[`*_~[\]|]/g, '\\$&');

/**
 * Mattermost renders Markdown twice over: the web and desktop clients with marked (Mattermost's
 * fork), the mobile app with commonmark.js. CommonMark takes `\` before any ASCII punctuation as an
 * escape, marked only before `` \ ` * _ { } [ ] ( ) # + - . ! > | ~ `` and shows it elsewhere, so
 * only what makes markup in either is escaped: `` ` * _ ~ [ ] | `` everywhere (code, emphasis,
 * strike-through, links and images, tables), block markers at line starts, `& < >` as entities
 * (HTML, `<!channel>`, `>` quotes). A `\` is doubled unless a letter or digit follows: marked reads
 * `\\` before a word character as two backslashes, and a lone `\` there is literal in both.
 * Mentions are found by the server in the raw text, where `\@channel` still notifies (it splits
 * words at `\`): a zero-width space after `@` does not notify and shows as typed. Bare URLs keep
 * their `_ * ~` unescaped (but get the entities and the zero-width space).
 */
export const escapeMattermost = (s: string): string =>
  escapeMattermostLineStarts(aroundUrls(s, escapeChat, escapeMattermostInline)).replace(/@(?=[\p{L}\p{N}_])/gu, '@\u200b');

/**
 * Teams MessageCard text is Markdown with some HTML: besides `& < >` (escapeChat), what makes a link
 * or image (`[x](url)`, `![x](url)`), emphasis, code, strike-through or a heading (`\ [ ] * _ ` ~ #`)
 * is backslash-escaped, and so is a list marker (`-`, `+`, `1.`) that starts a line
 */
export const escapeTeams = (s: string): string =>
  escapeChat(s)
    .replace(/[\\[\]*_`~#]/g, '\\$&')
    .replace(/^([ \t]*)([-+])(?=[ \t]|$)/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)\.(?=[ \t]|$)/gm, '$1\\.');
