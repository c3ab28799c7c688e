/**
 * A label pattern as config files write them: a glob (`Null*`: `*` only, anchored,
 * case-sensitive) or `/regex/flags` (unanchored; flags i, m, s), matched linearly or through
 * the safe-regex guards (safe-regex.ts). Used by the poller's interface filter.
 */
import { globMatcher } from './glob.ts';
import { compileSafeRegex, testBounded } from './safe-regex.ts';

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^(?!.*(.).*\1)[ims]*$/;
/** how many characters after `\x`, `\u`, `\c` belong to the escape */
const ESCAPE_TAIL: Record<string, number> = { x: 2, u: 4, c: 1 };

const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * V8's linear engine has no `i` flag, so case-insensitive patterns are lowered instead (ASCII
 * letters outside escapes and group names) and run against lowered input.
 */
function lowerPattern(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      const brace = next === 'u' && src[i + 2] === '{' ? src.indexOf('}', i) : -1;
      let end = brace >= 0 ? brace + 1 : i + 2 + (ESCAPE_TAIL[next] ?? 0);
      if (next === 'k' && src[i + 2] === '<') end = src.indexOf('>', i) + 1 || src.length;
      out += src.slice(i, end);
      i = end - 1;
    } else if (c === '(' && src.startsWith('?<', i + 1) && /[A-Za-z_$]/.test(src[i + 3] ?? '')) {
      const end = src.indexOf('>', i) + 1 || src.length;
      out += src.slice(i, end);
      i = end - 1;
    } else {
      out += lowerAscii(c);
    }
  }
  return out;
}

/** Compiles one pattern or throws an Error whose message says what is wrong with it. */
export function compileLabelPattern(text: string): (value: string) => boolean {
  const literal = REGEX_LITERAL.exec(text);
  if (!literal) return globMatcher(text);
  const [, source, flags] = literal;
  if (!ALLOWED_FLAGS.test(flags)) throw new Error(`pattern ${JSON.stringify(text)} has flags "${flags}"; only i, m and s are allowed`);
  const ignoreCase = flags.includes('i');
  let safe: RegExp;
  try {
    safe = compileSafeRegex(ignoreCase ? lowerPattern(source) : source);
  } catch (err) {
    // name the pattern as written, not the source handed to the regex engine
    throw new Error(`pattern ${JSON.stringify(text)} ${(err as Error).message.replace(/^pattern "(?:[^"\\]|\\.)*…?" /, '')}`);
  }
  const extra = flags.replace('i', '');
  const re = extra ? new RegExp(safe, safe.flags + extra) : safe;
  return ignoreCase ? (value) => testBounded(re, lowerAscii(value)) : (value) => testBounded(re, value);
}
