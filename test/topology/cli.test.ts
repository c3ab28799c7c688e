/**
 * `bin/netpulse discover` run as a child process against the lab (which runs in this process):
 * JSON and DOT output, exit codes, errors naming the device, and --crawl.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/discover.ts';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../../src/lab/index.ts';
import type { TopologyGraph } from '../../src/topology/graph.ts';
import type { FoundDevice } from '../../src/topology/autodiscover.ts';
import { freeUdpPort } from '../peers/snmpd.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function netpulse(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--openssl-legacy-provider', join(ROOT, 'bin/netpulse'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `run()` of the command in this process, stdout and stderr captured */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    return { code: await run(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let lab: Lab;
let crawlLab: Lab;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netpulse-discover-'));
  lab = await startLab({ devices: 6, topology: 'ring', seed: 5, basePort: 0 });
  file = join(dir, 'lab.yaml');
  await writeFile(file, lab.config);
});

afterAll(async () => {
  await lab?.stop();
  await crawlLab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const pairs = (g: TopologyGraph) => g.links.map((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`].sort().join(' - ')).sort();
const truth = (l: Lab) => l.truth.links.map((t) => [`${t.a}:${t.aPort}`, `${t.b}:${t.bPort}`].sort().join(' - ')).sort();

describe('netpulse discover', () => {
  it('--json prints the graph of the lab, exit 0', async () => {
    const r = await netpulse(['discover', '--config', file, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout) as TopologyGraph;
    expect(pairs(g)).toEqual(truth(lab));
    expect(g.anomalies).toEqual([]);
  });

  it('--format dot, and a silent device (in-process): exit 1, the graph still printed, the error names the device', async () => {
    const victim = lab.devices[1].name;
    lab.faults.silence(victim);
    try {
      const r = await inProcess(['--config', file, '--format', 'dot', '--timeout', '300ms']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^graph netpulse \{/);
      expect(r.stderr).toMatch(new RegExp(`^discover: ${victim}: snmp: agent 127\\.0\\.0\\.1:\\d+: .*timeout`, 'm'));
      // only the silent device's own problem is reported
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      lab.faults.silence(victim, false);
    }
  });

  it.each([
    [['--format', 'svg'], '--format: expected one of text, json, dot, graphml, got "svg"'],
    [['--device', 'nope'], '--device: no device "nope"'],
    [['--timeout', 'soon'], '--timeout: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 4 characters'],
    [['--timeout', '0'], '--timeout: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one'],
    [['--timeout', '0.4ms'], '--timeout: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one'],
    // a timer beyond 2^31 ms would fire at once
    [['--timeout', '25d'], '--timeout: expected at most 24d'],
    // accepted: the next check (of --device) speaks
    [['--timeout', '0.5ms', '--device', 'nope'], '--device: no device "nope"'],
    [['--timeout', '24d', '--device', 'nope'], '--device: no device "nope"'],
    [['--crawl'], '--crawl: '],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('bad usage %j: exit 2 with a message (in-process)', async (args, message) => {
    const r = await inProcess(['--config', file, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--crawl finds the lab devices that are not in the config, with version and credential profile', async () => {
    const port = await freeUdpPort();
    crawlLab = await startLab({ devices: 6, topology: 'ring', seed: 5, addressPerDevice: true, basePort: port });
    const doc = parse(crawlLab.config) as { devices: unknown[]; topology?: unknown };
    doc.devices = doc.devices.slice(0, 1);
    doc.topology = { crawl: { subnets: ['127.1.0.0/24'], maxDevices: 20 }, probe: { port, timeout: '500ms', retries: 1 } };
    const crawlFile = join(dir, 'crawl.yaml');
    await writeFile(crawlFile, stringify(doc));
    const r = await netpulse(['discover', '--config', crawlFile, '--json', '--crawl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as TopologyGraph & { autodiscovered: { crawl: { found: FoundDevice[] } } };
    expect(out.autodiscovered.crawl.found.map((f) => [f.name, f.address, f.version]).sort())
      .toEqual(crawlLab.devices.slice(1).map((d) => [d.name, d.address, d.version]).sort());
  });
});
