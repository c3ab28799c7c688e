import type { TrapRecord } from './trap-log.ts';

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** one JSON object per line (Counter64 as a decimal string) */
export function trapToJson(r: TrapRecord): string {
  return JSON.stringify(r, bigintSafe);
}

/** C0/C1 controls, line and paragraph separators and bidirectional overrides a sender may put in a value */
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** a value as one line of plain text: what could forge a line or drive the terminal shown as an escape (`\x1b`) */
export function safeText(s: string): string {
  return s.replace(UNSAFE_IN_TEXT, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** snmptrapd -f -Lo style: a header line, then `  name = TYPE: value` per varbind */
export function trapToText(r: TrapRecord): string {
  const who = r.version === '3' ? `user=${r.user} ${r.securityLevel}` : `community=${r.community}`;
  const head = [
    new Date(r.receivedAt).toISOString(),
    `[${r.source.address}]:${r.source.port}`,
    r.device ? `device=${r.device}` : undefined,
    r.version === '1' ? 'SNMPv1' : r.version === '2c' ? 'SNMPv2c' : 'SNMPv3',
    r.pdu === 'InformRequest' ? 'INFORM' : 'TRAP',
    who,
    `${r.trapName ?? r.trapOid}`,
    r.severity ? `severity=${r.severity}` : undefined,
  ].filter(Boolean).join(' ');
  const lines = r.varbinds.map((v) => `  ${v.name ?? v.oid} = ${v.type}: ${safeText(v.display ?? (v.value === null ? '' : String(v.value)))}`);
  return [head, ...lines].join('\n');
}
