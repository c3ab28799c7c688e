import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoMibsDir } from '../../src/mib/paths.ts';

/** a temp dir holding the SMI core + IF-MIB, for tests that need a small real base */
export function smallCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-mib-'));
  const std = join(dir, 'std');
  mkdirSync(std);
  for (const f of ['SNMPv2-SMI.txt', 'SNMPv2-TC.txt', 'SNMPv2-CONF.txt', 'SNMPv2-MIB.txt', 'IF-MIB.txt', 'IANAifType-MIB.txt']) {
    copyFileSync(join(repoMibsDir(), 'standard', f), join(std, f));
  }
  return dir;
}

export const GOOD_MODULE = `GOOD-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, enterprises FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-TC
        ifIndex FROM IF-MIB;
goodMib MODULE-IDENTITY
    LAST-UPDATED "202401010000Z" ORGANIZATION "netpulse" CONTACT-INFO "none"
    DESCRIPTION "test module" ::= { enterprises 99999 }
goodName OBJECT-TYPE
    SYNTAX DisplayString (SIZE (0..32)) MAX-ACCESS read-only STATUS current
    DESCRIPTION "a name" ::= { goodMib 1 }
goodTable OBJECT-TYPE SYNTAX SEQUENCE OF GoodEntry MAX-ACCESS not-accessible STATUS current
    DESCRIPTION "t" ::= { goodMib 2 }
goodEntry OBJECT-TYPE SYNTAX GoodEntry MAX-ACCESS not-accessible STATUS current
    DESCRIPTION "e" INDEX { ifIndex } ::= { goodTable 1 }
GoodEntry ::= SEQUENCE { goodState INTEGER }
goodState OBJECT-TYPE SYNTAX INTEGER { on(1), off-line(2) } MAX-ACCESS read-only STATUS current
    DESCRIPTION "s" ::= { goodEntry 1 }
END
`;
