/** `snmptranslate -Td`-style description of a node. */
import type { Dictionary } from './dictionary.ts';
import type { Bound, MibNode, Syntax } from './types.ts';

const MACRO: Record<string, string> = {
  'object-type': 'OBJECT-TYPE', notification: 'NOTIFICATION-TYPE', 'object-identity': 'OBJECT-IDENTITY',
  group: 'OBJECT-GROUP', compliance: 'MODULE-COMPLIANCE', 'module-identity': 'MODULE-IDENTITY',
  'agent-capabilities': 'AGENT-CAPABILITIES', 'textual-convention': 'TEXTUAL-CONVENTION',
  'oid-assignment': 'OBJECT IDENTIFIER',
};

const ROOT_NAMES: Record<string, string> = { '0': 'ccitt', '1': 'iso', '2': 'joint-iso-ccitt' };

function bounds(b: Bound[]): string {
  return b.map((x) => (x.min === x.max ? x.min : `${x.min}..${x.max}`)).join(' | ');
}

export function syntaxText(s: Syntax): string {
  let out = s.base === 'SEQUENCE OF' ? s.type : s.base;
  const list = s.enums ?? s.bits;
  if (list) out += ` {${list.map((e) => `${e.label}(${e.value})`).join(', ')}}`;
  if (s.ranges) out += ` (${bounds(s.ranges)})`;
  if (s.sizes) out += ` (SIZE (${bounds(s.sizes)}))`;
  return out;
}

/** `{ iso(1) org(3) dod(6) internet(1) ... 2 }` */
export function oidPath(dict: Dictionary, oid: string): string {
  const arcs = oid.split('.');
  const parts: string[] = [];
  for (let i = 1; i <= arcs.length; i++) {
    const n = dict.nodeAt(arcs.slice(0, i).join('.'));
    const arc = arcs[i - 1];
    const name = n?.name ?? (i === 1 ? ROOT_NAMES[arc] : undefined);
    parts.push(name && i < arcs.length ? `${name}(${arc})` : arc);
  }
  return `{ ${parts.join(' ')} }`;
}

function quote(s: string): string {
  return `"${s}"`;
}

export function describeNode(dict: Dictionary, n: MibNode): string {
  const lines = [`${n.module}::${n.name}`, `${n.name} ${MACRO[n.kind] ?? n.kind}`, `  -- FROM\t${n.module}`];
  const s = n.syntax;
  if (s) {
    if (s.tc?.length) lines.push(`  -- TEXTUAL CONVENTION ${s.tc[0].replace(/^.*::/, '')}`);
    lines.push(`  SYNTAX\t${syntaxText(s)}`);
    if (s.displayHint) lines.push(`  DISPLAY-HINT\t${quote(s.displayHint)}`);
  }
  if (n.units) lines.push(`  UNITS\t\t${quote(n.units)}`);
  if (n.access) lines.push(`  MAX-ACCESS\t${n.access}`);
  if (n.status) lines.push(`  STATUS\t${n.status}`);
  if (n.description !== undefined) lines.push(`  DESCRIPTION\t${quote(n.description)}`);
  if (n.reference !== undefined) lines.push(`  REFERENCE\t${quote(n.reference)}`);
  if (n.index) lines.push(`  INDEX\t\t{ ${n.index.map((p) => (p.implied ? 'IMPLIED ' : '') + p.node.replace(/^.*::/, '')).join(', ')} }`);
  if (n.augments) lines.push(`  AUGMENTS\t{ ${n.augments.replace(/^.*::/, '')} }`);
  if (n.objects) lines.push(`  ${n.kind === 'notification' ? 'OBJECTS' : 'OBJECTS'}\t{ ${n.objects.map((o) => o.replace(/^.*::/, '')).join(', ')} }`);
  if (n.defval !== undefined) lines.push(`  DEFVAL\t{ ${n.defval} }`);
  lines.push(`::= ${oidPath(dict, n.oid)}`);
  return lines.join('\n');
}
