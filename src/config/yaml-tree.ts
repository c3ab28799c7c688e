/**
 * Config text → a plain JS tree. Aliases are ordinary YAML (`tags: *site-tags` on many devices),
 * so their number is not limited; what is bounded is the size of the tree they expand to, the
 * measure of a "billion laughs" document. Every failure is a ConfigError naming the line.
 */
import { isAlias, isMap, isPair, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from '../errors/index.ts';

/** values (scalars, lists, mappings) a document with aliases may expand to */
export const MAX_EXPANDED_VALUES = 1_000_000;

export function readYamlTree(text: string, file: string, maxValues = MAX_EXPANDED_VALUES): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    // only the first line of yaml's message: the rest is a source excerpt that may hold a secret
    throw new ConfigError(file, doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const msg = firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '');
      return pos ? `line ${pos.line}, column ${pos.col}: ${msg}` : msg;
    }));
  }
  const at = (node: Node | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return '(top level)';
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  const sized = expandedSize(doc);
  if ('problem' in sized) throw new ConfigError(file, [`${at(sized.node)}: ${sized.problem}`]);
  if (sized.aliases > 0 && sized.values > maxValues) {
    const { node, values } = sized.largestAlias!;
    throw new ConfigError(file, [
      `${at(node)}: aliases expand the file to ${sized.values.toLocaleString('en-US')} values, above the limit of ${maxValues.toLocaleString('en-US')} ` +
        `(this alias alone to ${values.toLocaleString('en-US')}); repeat less through aliases`,
    ]);
  }
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    throw new ConfigError(file, [`(top level): cannot read the YAML: ${firstLine((err as Error).message)}`]);
  }
}

type Sized =
  | { values: number; aliases: number; largestAlias?: { node: Node; values: number } }
  | { problem: string; node: Node | undefined };

/**
 * The number of values the document holds with every alias replaced by its anchor's node.
 * Linear in the text: each anchored node is sized once (in document order, where the anchor it
 * names is the last one set before it, as yaml resolves it). An alias inside its own anchor is
 * refused (it would be a cyclic tree).
 */
function expandedSize(doc: Document): Sized {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let aliases = 0;
  let largestAlias: { node: Node; values: number } | undefined;
  let problem: { problem: string; node: Node | undefined } | undefined;

  const size = (node: unknown): number => {
    if (problem || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      aliases += 1;
      const target = anchors.get(node.source);
      if (!target) {
        problem = { problem: `alias *${node.source} names no anchor set before it`, node };
        return 0;
      }
      if (open.has(target)) {
        problem = { problem: `alias *${node.source} is inside the node it names (a cycle)`, node };
        return 0;
      }
      const n = sizes.get(target) ?? 0;
      if (!largestAlias || n > largestAlias.values) largestAlias = { node, values: n };
      return n;
    }
    const n0 = node as Node;
    if (n0.anchor) anchors.set(n0.anchor, n0);
    open.add(n0);
    let n = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) n += size(item.key) + size(item.value);
        else n += size(item);
      }
    }
    open.delete(n0);
    sizes.set(n0, n);
    return n;
  };
  const values = size(doc.contents);
  return problem ?? { values, aliases, largestAlias };
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
