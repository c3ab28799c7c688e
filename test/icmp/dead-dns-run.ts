/**
 * Runs for the dead-DNS tests: dead-dns.sh puts a command in network and mount namespaces whose
 * only DNS server never answers (no traffic leaves the machine).
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const root = here('../../');

/** why the namespaces cannot be made here, or undefined when they can */
export function namespacesUnavailable(): string | undefined {
  try {
    execFileSync('unshare', ['-n', '-m', 'true'], { stdio: 'ignore' });
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'needs root (unshare -n -m) and python3';
  }
}

const unavailable: string | undefined = namespacesUnavailable();

/**
 * runs `netpulse ARGS` in dead-dns.sh's namespaces, where the resolver tries for minutes
 * (timeout:30 attempts:5); `killed`: still running after 60 s (ended then)
 */
export function netpulseInDeadDns(args: string[]): Promise<{ code: number | null; stdout: string; killed: boolean }> {
  if (unavailable) throw new Error(`this test ${unavailable} (bash test/ensure-peers.sh installs python3, iproute2, procps)`);
  return new Promise((resolve) => {
    // its own process group: a run the lookup held is ended whole (netpulse, the DNS sink)
    const child = spawn(here('./dead-dns.sh'), [process.execPath, 'bin/netpulse', ...args], {
      cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DEAD_DNS_OPTIONS: 'timeout:30 attempts:5' },
    });
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; });
    let killed = false;
    // the bound only ends a run the lookup held; the resolver itself tries for minutes
    const bound = setTimeout(() => { killed = true; process.kill(-child.pid!, 'SIGKILL'); }, 60_000);
    child.on('close', (code) => { clearTimeout(bound); resolve({ code, stdout, killed }); });
  });
}
