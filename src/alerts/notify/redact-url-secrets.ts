/**
 * Secrets removed from the URLs quoted in a text (an error message), everything else kept as
 * written so an operator can still see scheme, host, port and path: the userinfo
 * (`user:password@`) and the values of query or fragment parameters whose names look secret.
 * Works on the text, not on a parsed URL, so malformed URLs are handled too and nothing is
 * normalised.
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

/** `a=1&token=x;b` with the values of secret-looking names replaced */
function redactParams(params: string): string {
  return params.replace(/([^&;=]*)=([^&;]*)/g, (whole, name: string, value: string) =>
    value !== '' && isSecretParamName(name) ? `${name}=${REDACTED}` : whole);
}

function redactOneUrl(url: string): string {
  const schemeEnd = url.indexOf('://') + 3;
  let rest = url.slice(schemeEnd);
  // the userinfo ends at the last '@' of the authority; in a URL that does not parse (say, an
  // unescaped '/', '?' or '#' in the password) at the last '@' of all
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let at = authority.lastIndexOf('@');
  if (at < 0 && !URL.canParse(url)) at = rest.lastIndexOf('@');
  if (at >= 0) rest = `${REDACTED}@${rest.slice(at + 1)}`;
  const query = rest.search(/[?#]/);
  if (query < 0) return url.slice(0, schemeEnd) + rest;
  return url.slice(0, schemeEnd) + rest.slice(0, query) + rest.slice(query).replace(/([?#])([^#]*)/g, (_m, mark: string, params: string) => mark + redactParams(params));
}

export function redactUrlSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, redactOneUrl);
}
