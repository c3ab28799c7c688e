/** `netpulse discover --config FILE [--json|--format dot|graphml]`: one topology discovery, printed. */
import { parseArgs } from 'node:util';
import { configPath, loadConfigOrExit } from '../../config/index.ts';
import { createSnmpClient } from '../../snmp/index.ts';
import { createTopologyService, toDot, toGraphml, type TopologyGraph } from '../../topology/index.ts';

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`discover: ${(err as Error).message}\nusage: netpulse discover --config FILE [--json | --format dot|graphml]\n`);
    return 2;
  }
  const file = configPath(values.config);
  if (!file) {
    process.stderr.write('discover: no config file (use --config FILE or NETPULSE_CONFIG)\n');
    return 2;
  }
  const config = loadConfigOrExit(file);
  const client = createSnmpClient({ maxConcurrency: config.defaults.concurrency });
  const d = config.defaults;
  const service = createTopologyService({
    client,
    devices: () => config.devices,
    target: (dev) => ({ address: dev.address, port: dev.port, credential: dev.credential, timeoutMs: d.timeoutMs, retries: d.retries, maxRepetitions: d.maxRepetitions }),
  });
  try {
    const g = await service.discover();
    const format = values.json ? 'json' : (values.format ?? 'text');
    if (format === 'json') process.stdout.write(JSON.stringify(g, null, 2) + '\n');
    else if (format === 'dot') process.stdout.write(toDot(g));
    else if (format === 'graphml') process.stdout.write(toGraphml(g));
    else process.stdout.write(textGraph(g));
    return 0;
  } finally {
    await client.close();
  }
}

function textGraph(g: TopologyGraph): string {
  const lines = [`${g.nodes.length} nodes (${g.nodes.filter((n) => n.managed).length} managed), ${g.links.length} links`];
  for (const l of g.links) {
    lines.push(`  ${l.a.node} ${l.a.port ?? '?'}  <->  ${l.b.node} ${l.b.port ?? '?'}  [${l.sources.join(',')}${l.inferred ? ', inferred' : ''}]`);
  }
  if (g.anomalies.length) {
    lines.push(`${g.anomalies.length} anomalies:`);
    for (const a of g.anomalies) lines.push(`  ${a.kind}: ${a.message}`);
  }
  return lines.join('\n') + '\n';
}
