import { TrapRulesSchema, type TrapRuleInput, type TrapRule } from './rule-schema.ts';

/** snmpTraps (RFC 3418 / RFC 3584): 1.3.6.1.6.3.1.1.5.x */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const IF_VARS = {
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
};
const IF_KEY = '{device}:{ifIndex|index:ifOperStatus|index:ifAdminStatus|index:ifDescr}';
const IF_LABEL = '{ifName|ifDescr|index:ifOperStatus|ifIndex}';

/** BGP4V2 lives at several roots: the IETF draft (FRR), Juniper, Arista, Foundry/Brocade. */
const BGP4V2_ROOTS = ['1.3.6.1.3.5.1', '1.3.6.1.4.1.2636.5.1.1.1', '1.3.6.1.4.1.30065.4.1', '1.3.6.1.4.1.1991.3.5.1'];

/**
 * Shipped trap rules, by numeric OID so they work before the MIB dictionary is loaded.
 * User rules come first (first match wins), these after.
 */
export const DEFAULT_TRAP_RULES_INPUT: TrapRuleInput[] = [
  { id: 'coldStart', trap: `${SNMP_TRAPS}.1`, severity: 'warning', message: '{device} restarted (coldStart)', key: '{device}', clearedBy: `${SNMP_TRAPS}.2` },
  { id: 'warmStart', trap: `${SNMP_TRAPS}.2`, severity: 'info', message: '{device} reinitialised (warmStart)', key: '{device}' },
  {
    id: 'linkDown', trap: `${SNMP_TRAPS}.3`, vars: IF_VARS, severity: 'major',
    message: `{device} interface ${IF_LABEL} down`, key: IF_KEY, clearedBy: `${SNMP_TRAPS}.4`,
    flap: { count: 6, window: '10m' },
  },
  { id: 'authenticationFailure', trap: `${SNMP_TRAPS}.5`, severity: 'minor', message: '{device} SNMP authentication failure', key: '{device}', rateLimit: { count: 10, per: '1h' } },
  { id: 'egpNeighborLoss', trap: `${SNMP_TRAPS}.6`, severity: 'major', message: '{device} EGP neighbour lost', key: '{device}:{value:1}' },
  { id: 'entConfigChange', trap: '1.3.6.1.2.1.47.2.0.1', severity: 'info', message: '{device} entity (hardware) configuration changed', key: '{device}' },
  {
    id: 'bgpBackwardTransition',
    trap: ['1.3.6.1.2.1.15.7.2', '1.3.6.1.2.1.15.0.2'],
    vars: { bgpPeerState: '1.3.6.1.2.1.15.3.1.2', bgpPeerRemoteAddr: '1.3.6.1.2.1.15.3.1.7', bgpPeerLastError: '1.3.6.1.2.1.15.3.1.14' },
    severity: 'major',
    message: '{device} BGP session to {bgpPeerRemoteAddr|index:bgpPeerState} left Established',
    key: '{device}:{index:bgpPeerState|index:bgpPeerLastError|bgpPeerRemoteAddr}',
    clearedBy: ['1.3.6.1.2.1.15.7.1', '1.3.6.1.2.1.15.0.1'],
    flap: { count: 6, window: '10m' },
  },
  {
    id: 'bgp4V2BackwardTransition',
    trap: BGP4V2_ROOTS.map((r) => `${r}.0.2`),
    severity: 'major',
    message: '{device} BGP (bgp4V2) session {oid:1} left Established',
    // first varbind is the peer state column + peer index, identical in both notifications
    key: '{device}:{oid:1}',
    clearedBy: BGP4V2_ROOTS.map((r) => `${r}.0.1`),
    flap: { count: 6, window: '10m' },
  },
  {
    id: 'ospfNbrStateChange',
    trap: '1.3.6.1.2.1.14.16.2.2',
    vars: { ospfNbrState: '1.3.6.1.2.1.14.10.1.6', ospfNbrRtrId: '1.3.6.1.2.1.14.10.1.3' },
    // down(1) attempt(2) init(3); twoWay(4) and full(8) are healthy
    when: [{ varbind: 'ospfNbrState', op: 'lt', value: 4 }],
    severity: 'major',
    message: '{device} OSPF neighbour {ospfNbrRtrId|index:ospfNbrState} state {ospfNbrState}',
    key: '{device}:{index:ospfNbrState}',
    clearedBy: { trap: '1.3.6.1.2.1.14.16.2.2', when: [{ varbind: 'ospfNbrState', op: 'regex', value: '^(4|8)$' }] },
    flap: { count: 6, window: '10m' },
  },
  {
    id: 'ospfIfStateChange',
    trap: '1.3.6.1.2.1.14.16.2.16',
    vars: { ospfIfState: '1.3.6.1.2.1.14.7.1.12' },
    when: [{ varbind: 'ospfIfState', op: 'eq', value: 1 }],
    severity: 'minor',
    message: '{device} OSPF interface {index:ospfIfState} down',
    key: '{device}:{index:ospfIfState}',
    clearedBy: { trap: '1.3.6.1.2.1.14.16.2.16', when: [{ varbind: 'ospfIfState', op: 'ge', value: 2 }] },
  },
];

export const DEFAULT_TRAP_RULES: TrapRule[] = TrapRulesSchema.parse(DEFAULT_TRAP_RULES_INPUT);
