/**
 * How the search ranks the nodes that hold every word of a query: the rules as data. Each query
 * word gets a grade per node (how the node holds it); a node's score is a sum, its terms largest
 * first:
 *
 * | term                                             | points                                    |
 * | ------------------------------------------------ | ----------------------------------------- |
 * | the name is a one-word query's word (or plural)  | NAME_IS_THE_WORD: 10,000                  |
 * | each query word, by its grade                    | GRADE_WEIGHT: 0–1,000 a word              |
 * | the name starts with a query word                | NAME_STARTS_WITH_A_WORD: 300              |
 * | the shorter name, fewer letters left uncovered   | `lengthPoints`: 100–200, half-point steps |
 * | the node's rank (unnamed, obsolete, kind)        | `withNodeRank`: less 0–1.19               |
 *
 * and equal scores go by OID order. The terms add up, so a larger one does not always decide
 * alone: the start of the name (300) outweighs a word found only inside a word (150 less), never
 * a word the name lacks (850 or more in a query of several words).
 */
import type { MibNode } from './types.ts';

/** how a node holds one query word, found by scanning its name and its description */
export const Grade = {
  /** nowhere: the node is no hit */
  ABSENT: 0,
  /** in its description only */
  IN_DESCRIPTION_ONLY: 1,
  /** a word meaning the same, only inside a word of the name */
  ABBREVIATED_MID_WORD: 2,
  /** the name's abbreviation of it (`Nbr`, `if`…) or a word meaning the same, starting a word of the name */
  ABBREVIATED_AT_BOUNDARY: 3,
  /** as the query wrote it (singular, plural, another spelling), only inside a word of the name (`arp` in `aarpTable`) */
  WRITTEN_MID_WORD: 4,
  /** as written, starting a word of the name: its start, after a hyphen, a capital or a digit (`startsWord`) */
  WRITTEN_AT_BOUNDARY: 5,
} as const;
export type Grade = (typeof Grade)[keyof typeof Grade];

/**
 * What a grade weighs: [in a query of one word, in a query of several]. A word the name holds in
 * several ways counts once, by its heaviest grade. One word is usually a piece of a name the
 * engineer remembers: the names holding it as written rank above those only abbreviating it, however
 * long (`inbound`: `pwInboundLabel` before `ssSwapIn`). Several words describe an object: an
 * abbreviation counts as the word (`interface errors`: `ifInErrors` first). A word found only inside
 * a word of the name weighs 150 less than at a word boundary: more than the length term moves.
 * Every grade of a name weighs more than 0 (a hit whose words all weigh 0 is one by its description).
 */
const GRADE_WEIGHT: Record<Grade, readonly [oneWord: number, severalWords: number]> = {
  [Grade.ABSENT]: [0, 0],
  [Grade.IN_DESCRIPTION_ONLY]: [0, 0],
  [Grade.ABBREVIATED_MID_WORD]: [550, 850],
  [Grade.ABBREVIATED_AT_BOUNDARY]: [700, 1000],
  [Grade.WRITTEN_MID_WORD]: [850, 850],
  [Grade.WRITTEN_AT_BOUNDARY]: [1000, 1000],
};

/** the grades of a word at the very start of a name that earn NAME_STARTS_WITH_A_WORD: in one word, only as written */
const STARTS_NAME: readonly [oneWord: readonly Grade[], severalWords: readonly Grade[]] = [
  [Grade.WRITTEN_AT_BOUNDARY],
  [Grade.WRITTEN_AT_BOUNDARY, Grade.ABBREVIATED_AT_BOUNDARY],
];

export const NAME_IS_THE_WORD = 10_000;
export const NAME_STARTS_WITH_A_WORD = 300;

/** the grade tables of one query shape, indexed by grade */
export interface GradeScale { weight: Uint16Array; startsName: Uint8Array }

function scaleOf(shape: 0 | 1): GradeScale {
  const grades = Object.values(Grade);
  const weight = new Uint16Array(grades.length);
  const startsName = new Uint8Array(grades.length);
  for (const g of grades) {
    weight[g] = GRADE_WEIGHT[g][shape];
    startsName[g] = STARTS_NAME[shape].includes(g) ? 1 : 0;
  }
  return { weight, startsName };
}
const SCALES = [scaleOf(0), scaleOf(1)] as const;

/** the grade tables of a query of one word or of several */
export function gradeScale(oneWord: boolean): GradeScale {
  return SCALES[oneWord ? 0 : 1];
}

/** the grade of a word found in a name: as the query wrote it or not, starting a word of the name or not */
export function nameGrade(asWritten: boolean, atBoundary: boolean): Grade {
  if (asWritten) return atBoundary ? Grade.WRITTEN_AT_BOUNDARY : Grade.WRITTEN_MID_WORD;
  return atBoundary ? Grade.ABBREVIATED_AT_BOUNDARY : Grade.ABBREVIATED_MID_WORD;
}

/**
 * The score of a node holding every query word. `wordWeights`: the sum of their GRADE_WEIGHTs;
 * `covered`: how many letters of the name the words cover (the longest form of each).
 */
export function matchScore(wordWeights: number, isTheWord: boolean, startsWithWord: boolean, nameLength: number, covered: number): number {
  return wordWeights + (isTheWord ? NAME_IS_THE_WORD : 0) + (startsWithWord ? NAME_STARTS_WITH_A_WORD : 0) + lengthPoints(nameLength, covered);
}

/** the shorter name and the one whose letters the words cover most, alike: half a point off a letter of the name and one it leaves uncovered, 100 off at most */
function lengthPoints(nameLength: number, covered: number): number {
  return 200 - Math.min((2 * nameLength - covered) / 2, 100);
}

/** a score less a hundredth of the node's rank (`nodeRank`) */
export function withNodeRank(score: number, rank: number): number {
  return score - rank / 100;
}

/** Modules superseded by newer ones: their nodes lose ties for the same OID. */
const OBSOLETE_MODULE = /^(RFC\d+-MIB|RFC1155-SMI|RFC-1212|RFC-1215|RFC1158-MIB|RFC1213-MIB|.*-V1-MIB|.*V1SMI.*)$/;
const KIND_RANK: Record<string, number> = {
  'object-type': 0, notification: 1, 'object-identity': 2, 'module-identity': 3, group: 4,
  compliance: 5, 'agent-capabilities': 6, 'oid-assignment': 7, 'textual-convention': 8,
};

/** lower is preferred: a named node over an unnamed one (`#`), a current module over an obsolete one, then by kind */
export function nodeRank(n: MibNode): number {
  return (n.name.endsWith('#') ? 100 : 0) + (OBSOLETE_MODULE.test(n.module) ? 10 : 0) + (KIND_RANK[n.kind] ?? 9);
}

/**
 * whether a word of a name starts at `at` (not its first letter): after a hyphen, a capital after a lower-case
 * letter or a digit, a digit after a letter, a letter after a digit, or the capital ending an acronym
 * (`Load` in `cpmCPULoadAvg`)
 */
export function startsWord(name: string, at: number): boolean {
  const c = name.charCodeAt(at);
  const p = name.charCodeAt(at - 1);
  const cDigit = c >= 48 && c <= 57;
  const pDigit = p >= 48 && p <= 57;
  const pLower = p >= 97 && p <= 122;
  const pUpper = p >= 65 && p <= 90;
  if (!pDigit && !pLower && !pUpper) return true;
  if (cDigit !== pDigit) return true;
  if (c < 65 || c > 90) return false;
  if (!pUpper) return true;
  const n = name.charCodeAt(at + 1);
  return n >= 97 && n <= 122;
}
