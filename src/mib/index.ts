/** OID dictionary: MIB compiler, translation, search and value formatting. See README.md. */
export { compileMibs, loadDictionary, cacheKey, addModuleTo, type CompileOptions, type CompileResult } from './compile.ts';
export type { AddModuleResult, ParsedUpload, ResolvedUpload, LookupAnswers } from './add-module.ts';
export { parseUpload, declaredModuleName, resolveUploadAsking, addResolvedUpload, answerLookups } from './add-module.ts';
export { Dictionary, parseOid, compareOids, type Translation, type SearchHit, type SearchResult } from './dictionary.ts';
export { formatOctetHint, formatIntegerHint } from './display-hint.ts';
export { formatVarbindValue, formatTimeTicks, type VarbindLike } from './format-value.ts';
export { decodeIndex, type IndexObject, type DecodedIndex } from './index-decode.ts';
export { parseMibText } from './parser.ts';
export { describeNode, oidPath, syntaxText } from './describe.ts';
export { defaultMibDirs, defaultCacheDir, allSubdirectories, repoMibsDir, listMibFiles } from './paths.ts';
export type { MibNode, MibType, MibError, ModuleSummary, NodeKind, Syntax, NamedNumber, Bound } from './types.ts';

import { addModuleTo, type AddModuleResult } from './add-module.ts';
import type { Dictionary } from './dictionary.ts';

/** Compiles an uploaded module into `dictionary` (same as `dictionary.addModule(text)`). */
export function addModule(dictionary: Dictionary, text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
  return addModuleTo(dictionary, text, opts);
}
