import { execFile } from 'node:child_process';
import type { Lab, LabDevice } from '../../src/lab/index.ts';
import type { WireVarbind } from '../../src/snmp/wire/index.ts';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runs a Net-SNMP tool; a missing tool is an error naming it (never a skip) */
export function tool(cmd: string, args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' } }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${cmd} is not installed (Net-SNMP command line tools are required for the lab tests)`));
        return;
      }
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const V3_SHA256_AES = ['-v3', '-l', 'authPriv', '-u', 'np-sha256-aes', '-a', 'SHA-256', '-A', 'lab-auth-256', '-x', 'AES', '-X', 'lab-priv-aes128'];
export const OUT_OPTS = ['-On', '-Ox', '-Ot', '-Oe', '-t', '3', '-r', '1'];

export function target(d: LabDevice): string {
  return `udp:${d.address}:${d.port}`;
}

export function versionArgs(d: LabDevice): string[] {
  return d.version === '3' ? V3_SHA256_AES : ['-v', d.version, '-c', d.community];
}

export interface Walked {
  type: string;
  value: string;
}

/** parses `-On -Ox -Ot -Oe` output (continuation lines belong to the previous varbind) */
export function parseWalk(stdout: string): Map<string, Walked> {
  const out = new Map<string, Walked>();
  let last: Walked | undefined;
  for (const line of stdout.split('\n')) {
    if (line === '' || line === 'End of MIB' || line.includes('No more variables left in this MIB View')) continue;
    const m = /^(\.[\d.]+) = (?:([A-Za-z0-9-]+): )?(.*)$/.exec(line);
    if (m) {
      let type = m[2] ?? (m[3] === '""' ? 'OctetString' : 'TimeTicks');
      let value = m[3];
      if (type === 'Hex-STRING') type = 'OctetString';
      if (type === 'STRING') type = 'OctetString';
      if (type === 'INTEGER') type = 'Integer';
      if (value === '""') value = '';
      last = { type, value: value.trim() };
      out.set(m[1].slice(1), last);
    } else if (last) {
      last.value += ' ' + line.trim();
    }
  }
  return out;
}

/** the varbind as the Net-SNMP text above would show it */
export function render(vb: WireVarbind): Walked {
  const v = vb.value;
  switch (vb.type) {
    case 'OctetString':
      return { type: 'OctetString', value: Buffer.isBuffer(v) ? [...v].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ') : '' };
    case 'OID':
      return { type: 'OID', value: '.' + String(v) };
    default:
      return { type: vb.type, value: String(v) };
  }
}

/** every OID the lab serves for `d`, in order, with its value at `now` */
export function served(lab: Lab, d: LabDevice, now: number): Map<string, WireVarbind> {
  const out = new Map<string, WireVarbind>();
  let arcs: number[] = [0, 0];
  for (;;) {
    const e = lab.responder.next(d, arcs);
    if (!e) break;
    out.set(e.oid, { oid: e.oid, type: e.type, value: e.get(d, now) });
    arcs = e.arcs;
  }
  return out;
}
