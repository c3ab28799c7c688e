/**
 * Small modules that take the lexer, the parser and the resolver down every path real MIB files
 * take (every token kind, clause, type form, OID form, error and resynchronisation), parsed and
 * resolved as the modules load. V8 optimises a function on the type feedback its executed paths
 * left; a path first taken after that (a `'01'B`, a `--` comment closed on its line, an
 * AGENT-CAPABILITIES SYNTAX) throws the optimised code away, and the function runs unoptimised
 * until it is compiled again: 14 such deoptimisations in a whole-corpus compile, among them the
 * lexer's and the macro parser's (17-20 ms of compile each).
 */
export const WARM_UP_TEXTS: readonly string[] = [
  `WARM-A-MIB { iso org(3) 9 } DEFINITIONS ::= BEGIN
IMPORTS enterprises, transmission, OBJECT-TYPE, NOTIFICATION-TYPE, MODULE-IDENTITY, OBJECT-IDENTITY,
  Integer32, Counter64, TimeTicks FROM SNMPv2-SMI
  TEXTUAL-CONVENTION, DisplayString FROM SNMPv2-TC
  MODULE-COMPLIANCE, OBJECT-GROUP, NOTIFICATION-GROUP, AGENT-CAPABILITIES FROM SNMPv2-CONF
  warmB, WarmB FROM WARM-B-MIB { iso 3 8 }
  TRAP-TYPE FROM RFC-1215;
EXPORTS everything;
-- a comment -- warmLater OBJECT IDENTIFIER ::= { warmRoot 99 } -- to the end-of-line, a-b
-- read-only -- and - a lone hyphen
warmRoot MODULE-IDENTITY LAST-UPDATED "200001010000Z" ORGANIZATION "o" CONTACT-INFO "c
  on two lines" DESCRIPTION "d" REVISION "200001010000Z" DESCRIPTION "r" ::= { enterprises 4242 }
warmChild OBJECT IDENTIFIER ::= { warmForward 1 }
warmForward OBJECT IDENTIFIER ::= { warmRoot named(2) 3 }
warmBare ::= { warmRoot 4 }
warmNum OBJECT IDENTIFIER ::= { 1 3 6 1 4 1 4242 5 }
warmNamed OBJECT IDENTIFIER ::= { iso(1) org(3) dod(6) 4242 }
warmDotted OBJECT IDENTIFIER ::= { WARM-B-MIB.warmB 6 }
warmKnown OBJECT IDENTIFIER ::= { transmission 4242 }
warmDup OBJECT IDENTIFIER ::= { warmRoot 7 }
warmDup OBJECT IDENTIFIER ::= { warmRoot 8 }
warmLoop OBJECT IDENTIFIER ::= { warmLoop2 1 }
warmLoop2 OBJECT IDENTIFIER ::= { warmLoop 1 }
warmLost OBJECT IDENTIFIER ::= { nowhere 1 }
warmAnIdentifierLongerThanFortyEightCharactersWhichIsNotShared OBJECT IDENTIFIER ::= { warmRoot 9 }
3comWarm OBJECT IDENTIFIER ::= { warmRoot 10 }
WarmTC ::= TEXTUAL-CONVENTION DISPLAY-HINT "1x:" STATUS current DESCRIPTION "t" REFERENCE "r"
  SYNTAX OCTET STRING (SIZE (0 | 6..8))
WarmEnum ::= TEXTUAL-CONVENTION STATUS current DESCRIPTION "e" SYNTAX INTEGER { up(1), down(2), not-present(-1) }
WarmBits ::= BITS { a(0), b(1) }
WarmRange ::= Integer32 (-2147483648..2147483647)
WarmHex ::= Counter64 (0..'FFFFFFFFFFFFFFFF'H)
WarmBin ::= INTEGER (0..'0101'B)
WarmTagged ::= [APPLICATION 9] IMPLICIT OCTET STRING (SIZE (4))
WarmChoice ::= CHOICE { a INTEGER, b OCTET STRING }
WarmEntry ::= SEQUENCE { warmIndex Integer32, warmName DisplayString, warmCount Counter64 }
warmMax INTEGER ::= 255
warmTable OBJECT-TYPE SYNTAX SEQUENCE OF WarmEntry MAX-ACCESS not-accessible STATUS current
  DESCRIPTION "t" ::= { warmRoot 20 }
warmEntry OBJECT-TYPE SYNTAX WarmEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "e"
  INDEX { warmIndex, IMPLIED warmName } ::= { warmTable 1 }
warmIndex OBJECT-TYPE SYNTAX Integer32 (1..65535) MAX-ACCESS not-accessible STATUS current DESCRIPTION "i" ::= { warmEntry 1 }
warmName OBJECT-TYPE SYNTAX DisplayString (SIZE (0..255)) MAX-ACCESS read-write STATUS current
  DESCRIPTION "n" DEFVAL { "x" } ::= { warmEntry 2 }
warmCount OBJECT-TYPE SYNTAX Counter64 UNITS "octets" MAX-ACCESS read-only STATUS current DESCRIPTION "c" ::= { warmEntry 3 }
warmTc OBJECT-TYPE SYNTAX WarmTC MAX-ACCESS read-create STATUS current DESCRIPTION "m" DEFVAL { '0a0b'H } ::= { warmEntry 4 }
warmE OBJECT-TYPE SYNTAX WarmEnum MAX-ACCESS read-only STATUS current DESCRIPTION "e" DEFVAL { up } ::= { warmEntry 5 }
warmB2 OBJECT-TYPE SYNTAX WarmBits MAX-ACCESS read-only STATUS current DESCRIPTION "b" DEFVAL { { a, b } } ::= { warmEntry 6 }
warmBin OBJECT-TYPE SYNTAX WarmBin MAX-ACCESS read-only STATUS current DESCRIPTION "b" DEFVAL { '01'B } ::= { warmEntry 7 }
warmQ OBJECT-TYPE SYNTAX WARM-B-MIB.WarmB MAX-ACCESS read-only STATUS current DESCRIPTION "q" ::= { warmEntry 8 }
warmOwn OBJECT-TYPE SYNTAX INTEGER { on(1), off(2) } MAX-ACCESS read-only STATUS deprecated DESCRIPTION "o" ::= { warmEntry 9 }
warmT OBJECT-TYPE SYNTAX TimeTicks ACCESS read-only STATUS mandatory DESCRIPTION "v1" ::= { warmRoot 21 }
warmAugTable OBJECT-TYPE SYNTAX SEQUENCE OF WarmEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "a" ::= { warmRoot 22 }
warmAug OBJECT-TYPE SYNTAX WarmEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "a" AUGMENTS { warmEntry } ::= { warmAugTable 1 }
warmId OBJECT-IDENTITY STATUS current DESCRIPTION "i" REFERENCE "r" ::= { warmRoot 23 }
warmNote NOTIFICATION-TYPE OBJECTS { warmName, warmCount } STATUS current DESCRIPTION "n" ::= { warmRoot 0 1 }
warmTrap TRAP-TYPE ENTERPRISE warmRoot VARIABLES { warmName } DESCRIPTION "t" ::= 3
warmTrap2 TRAP-TYPE ENTERPRISE { warmRoot } ::= 4
warmGroup OBJECT-GROUP OBJECTS { warmName, warmCount } STATUS current DESCRIPTION "g" ::= { warmRoot 30 }
warmNotes NOTIFICATION-GROUP NOTIFICATIONS { warmNote } STATUS current DESCRIPTION "g" ::= { warmRoot 31 }
warmCompliance MODULE-COMPLIANCE STATUS current DESCRIPTION "c"
  MODULE MANDATORY-GROUPS { warmGroup }
  GROUP warmNotes DESCRIPTION "g"
  OBJECT warmName SYNTAX DisplayString (SIZE (0..8)) WRITE-SYNTAX DisplayString MIN-ACCESS read-only DESCRIPTION "o"
  ::= { warmRoot 32 }
warmCaps AGENT-CAPABILITIES PRODUCT-RELEASE "p" STATUS current DESCRIPTION "a"
  SUPPORTS WARM-A-MIB INCLUDES { warmGroup }
  VARIATION warmName SYNTAX DisplayString (SIZE (0..4)) ACCESS read-only DESCRIPTION "v"
  ::= { warmRoot 33 }
warmTypo OBJECT_TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "x" ::= { warmRoot 34 }
warmBroken OBJECT-TYPE SYNTAX ( MAX-ACCESS read-only ::= { warmRoot 35 }
warmStray OBJECT IDENTIFIER ::= { warmRoot 36 } ' ;
WarmMacro MACRO ::= BEGIN TYPE NOTATION ::= "x" VALUE NOTATION ::= value(VALUE INTEGER) END
warmNoValue OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "v"
warmAfter OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "a" ::= { warmRoot 37 }
END
WARM-B-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI
warmB OBJECT IDENTIFIER ::= { enterprises 4243 }
WarmB ::= OCTET STRING
END junk after END
`,
  // a file read alone, with a character beyond latin1 (\u2019)
  'WARM-C-MIB DEFINITIONS ::= BEGIN\r\n\twarmC OBJECT IDENTIFIER ::= { iso 3 7 } -- it\u2019s\r\nEND\r\n',
  'not a MIB at all',
  'WARM-D-MIB DEFINITIONS ::= BEGIN warmD OBJECT IDENTIFIER ::= { iso 3 6 "unterminated',
];
