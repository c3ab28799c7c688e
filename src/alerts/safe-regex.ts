/**
 * User-written regexes run against strings an attacker controls (trap varbind values, ifDescr,
 * sysName). Three guards keep one trap from stalling the process:
 * - at load: patterns that backtrack exponentially (a repeated group holding a quantifier or
 *   an alternation, backreferences) are rejected with a clear message;
 * - V8's linear-time engine (the `l` flag, enabled here) runs the rest in O(pattern × input),
 *   so polynomial cases like `.*a.*b.*c` cannot blow up either; lookarounds and huge
 *   `{n,m}` counts are not supported by it and are rejected at load too;
 * - only the first MAX_MATCH_INPUT characters of a value are matched.
 */
import { setFlagsFromString } from 'node:v8';

export const MAX_MATCH_INPUT = 4096;
export const MAX_PATTERN_LENGTH = 1024;

/** whether this Node/V8 offers the linear engine; without it the static check gets stricter */
export const LINEAR_ENGINE = ((): boolean => {
  try {
    setFlagsFromString('--enable-experimental-regexp-engine');
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
})();

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/;

interface Frame {
  quantified: boolean;
  alternation: boolean;
}

/** Why this pattern can backtrack catastrophically, or undefined. A scan, not a full parser. */
export function backtrackProblem(src: string): string | undefined {
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  let lastGroup: Frame | undefined;
  let unbounded = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const n = src[i + 1];
      if ((n >= '1' && n <= '9') || (n === 'k' && src[i + 2] === '<')) return 'backreferences can backtrack exponentially';
      i++;
      lastGroup = undefined;
      continue;
    }
    if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      if (src[i] === ']') i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      // skip the group's prefix (?: (?= (?! (?<= (?<! (?<name>
      const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(src.slice(i + 1, i + 40));
      if (prefix) i += prefix[0].length;
      lastGroup = undefined;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : { quantified: false, alternation: false };
      if (group.quantified) stack[stack.length - 1].quantified = true;
      lastGroup = group;
      continue;
    }
    if (c === '|') {
      top.alternation = true;
      lastGroup = undefined;
      continue;
    }
    const q = QUANTIFIER.exec(src.slice(i, i + 24));
    if (!q) {
      lastGroup = undefined;
      continue;
    }
    const max = q[1] === undefined ? (c === '?' ? 1 : Infinity) : q[2] === undefined ? Number(q[1]) : q[3] ? Number(q[3]) : Infinity;
    if (max > 1 && lastGroup?.quantified) return 'can backtrack exponentially (a repeated group contains a quantifier)';
    if (max > 1 && lastGroup?.alternation) return 'can backtrack exponentially (a repeated group contains an alternation; use a character class)';
    if (max === Infinity) unbounded++;
    top.quantified = true;
    i += q[0].length - 1;
    if (src[i + 1] === '?') i++;
    lastGroup = undefined;
  }
  if (!LINEAR_ENGINE && unbounded > 1) return 'can backtrack polynomially (more than one unbounded quantifier, and this Node has no linear regex engine)';
  return undefined;
}

/** Compiles a user pattern or throws an Error whose message reads `pattern "..." <why>`. */
export function compileSafeRegex(src: string): RegExp {
  const quoted = JSON.stringify(src.length > 80 ? `${src.slice(0, 80)}…` : src);
  if (src.length > MAX_PATTERN_LENGTH) throw new Error(`pattern ${quoted} is longer than ${MAX_PATTERN_LENGTH} characters`);
  const problem = backtrackProblem(src);
  if (problem) throw new Error(`pattern ${quoted} ${problem}`);
  try {
    return new RegExp(src, LINEAR_ENGINE ? 'l' : '');
  } catch (err) {
    const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    if (/linear time/.test(why)) throw new Error(`pattern ${quoted} is not supported: lookarounds, backreferences and large {n,m} counts cannot be matched in linear time`);
    throw new Error(`pattern ${quoted} is an invalid regex: ${why}`);
  }
}

/** tests at most the first MAX_MATCH_INPUT characters */
export function testBounded(re: RegExp, s: string): boolean {
  return re.test(s.length > MAX_MATCH_INPUT ? s.slice(0, MAX_MATCH_INPUT) : s);
}
