import type { TrapRecord } from './trap-log.ts';

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** one JSON object per line (Counter64 as a decimal string) */
export function trapToJson(r: TrapRecord): string {
  return JSON.stringify(r, bigintSafe);
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
  const lines = r.varbinds.map((v) => `  ${v.name ?? v.oid} = ${v.type}: ${v.display ?? (v.value === null ? '' : String(v.value))}`);
  return [head, ...lines].join('\n');
}
