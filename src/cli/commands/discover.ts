/** `netpulse discover`: one topology discovery (and optionally a crawl/sweep), printed. */
import { parseArgs } from 'node:util';
import { loadConfigForCommand, selectDevices } from '../config-args.ts';
import { errorMessage } from '../../errors/index.ts';
import { createIcmpChecker, exitOnStopSignals, type IcmpChecker } from '../../icmp/index.ts';
import { lookUpNamesInHelper } from '../../icmp/resolve.ts';
import { checkDuration } from '../../model/duration.ts';
import { createSnmpClient } from '../../snmp/index.ts';
import {
  createTopologyService, probeProfiles, toDot, toGraphml, type AutodiscoverOptions, type AutodiscoverResult, type TopologyGraph,
} from '../../topology/index.ts';

const USAGE = `usage: netpulse discover --config FILE [--json | --format text|json|dot|graphml]
                         [--device NAME]... [--timeout DURATION] [--crawl] [--sweep] [--allow-large]
  --config FILE      netpulse config (or NETPULSE_CONFIG)
  --json             the graph as JSON (same as --format json)
  --format F         text (default), json, dot (Graphviz) or graphml (yEd, Gephi)
  --device NAME      discover only these devices (repeatable)
  --timeout D        per-request SNMP timeout, e.g. 2s (default: defaults.timeout)
  --crawl            also follow neighbours' management addresses (topology.crawl.subnets)
  --sweep            also sweep topology.subnets (ICMP, then an SNMP probe per address)
  --allow-large      let --sweep cover blocks larger than a /16
exit status: 0 every device answered, 1 some device or table failed (graph still printed),
             2 bad usage or config, 3 no device answered`;

const FORMATS = ['text', 'json', 'dot', 'graphml'] as const;

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' }, device: { type: 'string', multiple: true },
        timeout: { type: 'string' }, crawl: { type: 'boolean' }, sweep: { type: 'boolean' }, 'allow-large': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return usageError(errorMessage(err));
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = values.json ? 'json' : (values.format ?? 'text');
  if (!(FORMATS as readonly string[]).includes(format)) return usageError(`--format: expected one of ${FORMATS.join(', ')}, got "${format}"`);
  if (values.json && values.format && values.format !== 'json') return usageError('--json and --format disagree');
  // at most MAX_TIMER_MS (checkDuration's default): a longer timer fires at once
  const timeout = values.timeout === undefined ? undefined : checkDuration(values.timeout);
  if (timeout && 'problem' in timeout) return usageError(`--timeout: ${timeout.problem}`);
  const timeoutMs = timeout?.ms;
  const loaded = loadConfigForCommand('discover', values.config);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { config, file } = loaded;
  const devices = selectDevices(config.devices, values.device, file);
  if (typeof devices === 'string') return usageError(devices);
  if (devices.length === 0) return usageError(`${file} lists no devices to discover`);

  let auto: AutodiscoverOptions | undefined;
  let icmp: IcmpChecker | undefined;
  if (values.crawl || values.sweep) {
    const t = config.topology;
    if (values.crawl && !t?.crawl?.subnets.length) return usageError(`--crawl: ${file} has no topology.crawl.subnets`);
    if (values.sweep && !t?.subnets?.length) return usageError(`--sweep: ${file} has no topology.subnets`);
    if (values.sweep && t!.sweep.icmp) icmp = await createIcmpChecker();
    try {
      auto = {
        profiles: probeProfiles(config.credentials, t!.probe.credentials),
        probe: { port: t!.probe.port, timeoutMs: t!.probe.timeout, retries: t!.probe.retries, maxRepetitions: config.defaults.maxRepetitions },
        crawl: values.crawl ? { subnets: t!.crawl!.subnets, maxDevices: t!.crawl!.maxDevices } : undefined,
        sweep: values.sweep ? { subnets: t!.subnets!, allowLarge: values['allow-large'] || t!.sweep.allowLarge, icmp } : undefined,
      };
    } catch (err) {
      return usageError(errorMessage(err));
    }
  }

  // name lookups hanging on a dead DNS must not hold the exit (nor a Ctrl-C)
  lookUpNamesInHelper();
  const d = config.defaults;
  const client = createSnmpClient({ maxConcurrency: d.concurrency });
  const service = createTopologyService({
    client,
    devices: () => devices,
    target: (dev) => ({ address: dev.address, port: dev.port, credential: dev.credential, timeoutMs: timeoutMs ?? d.timeoutMs, retries: d.retries, maxRepetitions: d.maxRepetitions }),
    autodiscover: auto,
  });
  try {
    // the sweep's fping runs in a process group of its own: a Ctrl-C must end it through the exit hook
    const discovered = await exitOnStopSignals(async () => {
      const graph = await service.discover();
      if (!auto) return { graph };
      try {
        return { graph, found: await service.autodiscover() };
      } catch (err) {
        return { graph, refused: errorMessage(err) };
      }
    });
    if (discovered.refused !== undefined) return usageError(discovered.refused);
    const { graph: g, found } = discovered;
    if (format === 'json') process.stdout.write(JSON.stringify(found ? { ...g, autodiscovered: found } : g, null, 2) + '\n');
    else if (format === 'dot') process.stdout.write(toDot(g));
    else if (format === 'graphml') process.stdout.write(toGraphml(g));
    else process.stdout.write(textGraph(g) + (found ? textFound(found) : ''));
    const run = service.lastRun()!;
    for (const e of run.errors) process.stderr.write(`discover: ${e}\n`);
    const unreachable = g.anomalies.filter((a) => a.kind === 'unreachable').length;
    return unreachable === devices.length ? 3 : run.errors.length ? 1 : 0;
  } finally {
    service.stop();
    await icmp?.close?.();
    await client.close();
  }
}

function usageError(message: string): number {
  process.stderr.write(`netpulse discover: ${message}\n${USAGE}\n`);
  return 2;
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

function textFound(r: AutodiscoverResult): string {
  const lines: string[] = [];
  for (const [label, res] of [['crawl', r.crawl], ['sweep', r.sweep]] as const) {
    if (!res) continue;
    lines.push(`${label}: ${res.found.length} new devices${label === 'crawl' && r.crawl?.capped ? ' (stopped at maxDevices)' : ''}`);
    for (const f of res.found) lines.push(`  ${f.name}  ${f.address}:${f.port}  v${f.version} "${f.credentials}"  ${f.sysObjectID ?? ''}`);
    for (const f of res.failed) lines.push(`  ${f.address}: not readable: ${f.reason}`);
  }
  return lines.join('\n') + '\n';
}
