/**
 * Secrets removed from the URLs quoted in a text (an error message), everything else kept as
 * written so an operator can still see scheme, host, port and path: the userinfo
 * (`user:password@`), path segments that look like credentials (webhook tokens) and the values
 * of query or fragment parameters whose names look secret. Works on the text, not on a parsed
 * URL, so malformed URLs are handled too and nothing is normalised.
 */

const REDACTED = '[redacted]';
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** name parts that are secret on their own (`sig`, `api-key`) ... */
const SECRET_PARTS = new Set(['sig', 'key', 'pass', 'pwd', 'code', 'jwt']);
/** ... or that make any part containing them secret (`accessToken`, `x-amz-security-token`, `oauth_signature`) */
const SECRET_WORDS = ['token', 'secret', 'passw', 'apikey', 'signature', 'credential', 'auth', 'session', 'privatekey', 'accesskey'];

export function isSecretParamName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the name as written
  }
  const lower = decoded.toLowerCase();
  const joined = lower.replace(/[^a-z0-9]/g, '');
  if (SECRET_WORDS.some((w) => joined.includes(w))) return true;
  return lower.split(/[^a-z0-9]+/).some((part) => SECRET_PARTS.has(part) || part.endsWith('key'));
}

/** Telegram's `bot<id>:<token>`, Slack's `xoxb-...` */
const KNOWN_TOKEN = /^(bot\d+(:|%3a).|xox[a-z]-.)/i;
const FILE_NAME = /\.[a-z][a-z0-9]{0,4}$/i;
const VERSION = /^v?\d+([._]\d+)+/i;
const DATE = /^(19|20)\d\d-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])([^0-9a-f]|$)/i;
/** the letter runs words are made of (`Device`, `STATUS`); random letters break into runs of one to three */
const LETTER_RUNS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;

/**
 * Whether a path segment looks like a credential: a `bot<digits>:` (Telegram) or `xox?-` (Slack)
 * token, or 20+ characters with 10+ different ones, mixing letters with digits (or both cases),
 * that are all hex (keys, UUIDs) or random-looking: short letter runs, the class (lower, upper,
 * digit) changing often. Kept: words and identifiers (`netpulse-alerts-2024`, `ifHCInOctets`,
 * `core-sw02-eth3`), version strings, dates and file names. Measured on random tokens: about 95%
 * of 20-24 character base64url/base62 ones are caught, 99% of 43 characters, every hex one.
 */
export function isSecretPathSegment(segment: string): boolean {
  let s = segment;
  try {
    s = decodeURIComponent(segment);
  } catch {
    // a malformed escape: judge the segment as written
  }
  if (KNOWN_TOKEN.test(s)) return true;
  if (s.length < 20 || FILE_NAME.test(s) || VERSION.test(s) || DATE.test(s)) return false;
  const alnum = s.replace(/[^A-Za-z0-9]/g, '');
  const count = (re: RegExp) => alnum.replace(re, '').length;
  const [digits, lower, upper] = [count(/\D/g), count(/[^a-z]/g), count(/[^A-Z]/g)];
  const mixed = (digits >= 2 && lower + upper >= 2) || (lower >= 2 && upper >= 2);
  if (!mixed || new Set(alnum).size < 10) return false;
  // hex keys and UUIDs: their letters a-f may well run longer
  if (/^[0-9a-f]+$/i.test(alnum) && /^[0-9a-f-]+$/i.test(s)) return true;
  const runs = s.match(LETTER_RUNS) ?? [];
  const shortRuns = (lower + upper) / runs.length < (digits >= 2 ? 3.5 : 2.5);
  return shortRuns && classSwitches(s) >= 0.25 * (s.length - 1);
}

const charClass = (c: string) => (c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 3 : 0);

/** neighbours of different classes (lower case, upper case, digit), not counting the capital starting a word */
function classSwitches(s: string): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) {
    const [a, b] = [charClass(s[i - 1]), charClass(s[i])];
    if (a && b && a !== b && !(a === 2 && b === 1)) n++;
  }
  return n;
}

interface UrlParts {
  /** `https://` */
  scheme: string;
  userinfo: boolean;
  /** host and port as written */
  host: string;
  path: string;
  /** query and fragment with their `?` and `#` */
  tail: string;
}

function splitUrl(url: string): UrlParts {
  const schemeEnd = url.indexOf('://') + 3;
  let rest = url.slice(schemeEnd);
  // the userinfo ends at the last '@' of the authority; in a URL that does not parse (say, an
  // unescaped '/', '?' or '#' in the password) at the last '@' of all
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let at = authority.lastIndexOf('@');
  if (at < 0 && !URL.canParse(url)) at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  const hostEnd = rest.search(/[/?#]/);
  const host = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
  const afterHost = hostEnd < 0 ? '' : rest.slice(hostEnd);
  const tailStart = afterHost.search(/[?#]/);
  return {
    scheme: url.slice(0, schemeEnd),
    userinfo: at >= 0,
    host,
    path: tailStart < 0 ? afterHost : afterHost.slice(0, tailStart),
    tail: tailStart < 0 ? '' : afterHost.slice(tailStart),
  };
}

/** `a=1&token=x;b` with the values of secret-looking names, and bare credential-looking items, replaced */
function redactParams(params: string): string {
  return params.replace(/[^&;]+/g, (item) => {
    const eq = item.indexOf('=');
    if (eq < 0) return isSecretPathSegment(item) ? REDACTED : item;
    const name = item.slice(0, eq);
    return item.length > eq + 1 && isSecretParamName(name) ? `${name}=${REDACTED}` : item;
  });
}

function redactOneUrl(url: string): string {
  const u = splitUrl(url);
  const path = u.path.split('/').map((seg) => (isSecretPathSegment(seg) ? REDACTED : seg)).join('/');
  const tail = u.tail.replace(/([?#])([^#]*)/g, (_m, mark: string, params: string) => mark + redactParams(params));
  return u.scheme + (u.userinfo ? `${REDACTED}@` : '') + u.host + path + tail;
}

export function redactUrlSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, redactOneUrl);
}

/**
 * A URL whose whole path may be a secret (a channel's webhook URL) as `scheme://host[:port]/…`:
 * host and port to debug with, the userinfo, path, query and fragment left out.
 */
export function urlHostOnly(url: string): string {
  const u = splitUrl(url);
  const after = u.path + u.tail;
  return u.scheme + u.host + (after === '' || after === '/' ? after : '/…');
}
