import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { FpingChecker } from './fping-checker.ts';
import { PingPackageChecker } from './ping-checker.ts';
import { failed } from './stats.ts';
import type { IcmpChecker, IcmpResult } from './types.ts';

export interface IcmpEngineInfo {
  engine: 'fping' | 'ping' | 'none';
  path?: string;
  version?: string;
}

/** Finds an executable in PATH (plus the sbin dirs, where some distributions put fping). */
export async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const file = join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Start-up detection: fping if installed, else the system ping through the `ping` package, else none. */
export async function detectIcmpEngine(): Promise<IcmpEngineInfo> {
  const fping = await findExecutable('fping');
  if (fping) {
    const version = await new Promise<string | undefined>((resolve) => {
      execFile(fping, ['-v'], { timeout: 5000 }, (err, stdout, stderr) => {
        const m = /Version\s+(\S+)/i.exec(`${stdout}${stderr}`);
        resolve(err && !m ? undefined : m?.[1]);
      });
    });
    if (version) return { engine: 'fping', path: fping, version };
  }
  const sysPing = await findExecutable('ping');
  if (sysPing) return { engine: 'ping', path: sysPing };
  return { engine: 'none' };
}

export class NoIcmpChecker implements IcmpChecker {
  readonly engine = 'none' as const;
  async check(hosts: string[]): Promise<Map<string, IcmpResult>> {
    return new Map(hosts.map((h) => [h, failed(h, undefined, `icmp: host ${h}: no ICMP engine: neither fping nor ping is installed (apt-get install fping)`)]));
  }
}

export async function createIcmpChecker(info?: IcmpEngineInfo): Promise<IcmpChecker> {
  const found = info ?? (await detectIcmpEngine());
  if (found.engine === 'fping') return new FpingChecker({ path: found.path });
  if (found.engine === 'ping') return new PingPackageChecker();
  return new NoIcmpChecker();
}
