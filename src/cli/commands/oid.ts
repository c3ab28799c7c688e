/** `netpulse oid search|show|list|translate`: the OID dictionary from the command line. */
import { describeNode } from '../../mib/describe.ts';
import { loadForCli, parseMibArgs } from '../../mib/cli-options.ts';

const USAGE = `usage: netpulse oid <command> [-M DIRS]... [--no-cache]
  search QUERY [--limit N] [--offset N]   names, numeric OID prefixes, description words (ranked)
  show NAME|OID                           full definition, like snmptranslate -Td
  list                                    every node as MODULE::name<TAB>OID (like snmptranslate -Tz)
  translate OID|NAME...                   OID → MODULE::name.index, name → OID
  -M DIRS is repeatable or colon-separated; the default is the shipped mibs/ directory.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help') { process.stdout.write(`${USAGE}\n`); return sub ? 0 : 1; }
  let args;
  try { args = parseMibArgs(rest); } catch (e) { process.stderr.write(`oid ${sub}: ${(e as Error).message}\n`); return 1; }
  let dict;
  try {
    dict = loadForCli(args).dictionary;
  } catch (e) {
    process.stderr.write(`oid ${sub}: ${(e as Error).message}\n`);
    return 1;
  }
  const out = process.stdout;
  // `oid list | head` closes the pipe early: that is not an error
  out.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
  switch (sub) {
    case 'search': {
      const q = args.rest.join(' ');
      if (!q) { process.stderr.write('oid search: missing QUERY\n'); return 1; }
      const limit = Number(args.flags.get('--limit') ?? 20);
      const offset = Number(args.flags.get('--offset') ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        process.stderr.write('oid search: --limit and --offset take non-negative integers\n');
        return 1;
      }
      const r = dict.search(q, { limit, offset });
      for (const h of r.hits) {
        const d = h.node.description?.replace(/\s+/g, ' ').slice(0, 70) ?? '';
        out.write(`${h.node.module}::${h.node.name}\t${h.node.oid}\t${h.node.kind}\t${d}\n`);
      }
      out.write(`${r.total} matches${r.total > offset + r.hits.length ? ` (showing ${offset + 1}-${offset + r.hits.length}; --offset/--limit for more)` : ''}\n`);
      return r.total > 0 ? 0 : 1;
    }
    case 'show': {
      const q = args.rest[0];
      if (!q) { process.stderr.write('oid show: missing NAME or OID\n'); return 1; }
      let n = dict.node(q);
      let suffix = '';
      if (!n) {
        const oid = dict.resolve(q);
        const t = oid ? dict.translate(oid) : undefined;
        if (t) { n = t.node; suffix = t.suffix.length ? ` (instance ${t.text})` : ''; }
      }
      if (!n) {
        const ty = dict.type(q);
        if (ty) {
          out.write(`${ty.module}::${ty.name}\n${ty.name} ::= ${ty.textualConvention ? 'TEXTUAL-CONVENTION' : ''}\n  SYNTAX\t${ty.syntax.base}\n`);
          if (ty.syntax.displayHint) out.write(`  DISPLAY-HINT\t"${ty.syntax.displayHint}"\n`);
          if (ty.description) out.write(`  DESCRIPTION\t"${ty.description}"\n`);
          return 0;
        }
        process.stderr.write(`oid show: ${q}: unknown object identifier\n`);
        return 1;
      }
      out.write(describeNode(dict, n) + suffix + '\n');
      return 0;
    }
    case 'list': {
      const lines = dict.listLines();
      // one write per chunk: 80,000 lines
      for (let i = 0; i < lines.length; i += 5000) out.write(lines.slice(i, i + 5000).join('\n') + '\n');
      return 0;
    }
    case 'translate': {
      let status = 0;
      for (const q of args.rest) {
        if (/^\.?\d+(\.\d+)*$/.test(q)) {
          const t = dict.translate(q);
          if (t) out.write(`${t.text}\n`); else { process.stderr.write(`oid translate: ${q}: no match\n`); status = 1; }
        } else {
          const o = dict.resolve(q);
          if (o) out.write(`.${o}\n`); else { process.stderr.write(`oid translate: ${q}: unknown object identifier\n`); status = 1; }
        }
      }
      return status;
    }
    default:
      process.stderr.write(`oid: unknown command "${sub}"\n${USAGE}\n`);
      return 1;
  }
}
