/** Shapes shared by the parser, the resolver, the dictionary and the cache. */

export type NodeKind =
  | 'object-type' | 'notification' | 'object-identity' | 'group' | 'compliance'
  | 'module-identity' | 'agent-capabilities' | 'textual-convention' | 'oid-assignment';

export interface NamedNumber { label: string; value: string }
/** inclusive bounds as decimal strings (Counter64/Unsigned ranges exceed 2^53) */
export interface Bound { min: string; max: string }

/** A type as written in a module, before textual conventions are resolved. */
export interface TypeSpec {
  /** base keyword or referenced type name: INTEGER, OCTET STRING, DisplayString, SEQUENCE, ... */
  name: string;
  /** defining module of a `Module.Type` reference */
  module?: string;
  enums?: NamedNumber[];
  ranges?: Bound[];
  sizes?: Bound[];
  /** `SEQUENCE OF Entry` → Entry */
  of?: string;
}

/** Syntax of a node, textual conventions resolved to the base type. */
export interface Syntax {
  /** the type as written (DisplayString, InterfaceIndex, INTEGER) */
  type: string;
  /** ASN.1/SMI base type: INTEGER, Integer32, Unsigned32, Counter32, Gauge32, Counter64,
   * TimeTicks, IpAddress, Opaque, OCTET STRING, OBJECT IDENTIFIER, BITS, NetworkAddress, SEQUENCE, ... */
  base: string;
  /** textual convention chain, outermost first, `MODULE::Name` */
  tc?: string[];
  displayHint?: string;
  enums?: NamedNumber[];
  /** BITS labels: value is the bit number */
  bits?: NamedNumber[];
  ranges?: Bound[];
  sizes?: Bound[];
}

export interface Definition {
  name: string;
  kind: NodeKind;
  line: number;
  /** the OID value as written: first element may be a name, the others numbers or name(number) */
  oid?: OidComponent[];
  /** unset while parsed: room for the node's field when a compile makes the node of this object */
  module?: undefined;
  /** TRAP-TYPE: ENTERPRISE name, the value is the trap number */
  enterprise?: string;
  trapNumber?: string;
  syntax?: TypeSpec;
  access?: string;
  status?: string;
  units?: string;
  description?: string;
  reference?: string;
  displayHint?: string;
  index?: IndexPart[];
  augments?: string;
  objects?: string[];
  defval?: string;
}

export interface OidComponent { readonly name?: string; readonly number?: string }
export interface IndexPart { name: string; implied: boolean }

export interface TypeDefinition {
  name: string;
  line: number;
  textualConvention: boolean;
  displayHint?: string;
  status?: string;
  description?: string;
  reference?: string;
  syntax: TypeSpec;
}

export interface MibError {
  file: string;
  line: number;
  module?: string;
  message: string;
  /** warnings are tolerated deviations (a typo read leniently, a missing ";") */
  severity?: 'error' | 'warning';
}

/** A resolved textual convention or type assignment, `MODULE::Name`. */
export interface MibType {
  name: string;
  module: string;
  textualConvention: boolean;
  syntax: Syntax;
  status?: string;
  description?: string;
  reference?: string;
  file?: string;
  line?: number;
}

export interface ParsedModule {
  name: string;
  file: string;
  line: number;
  /** symbol → module it is imported from */
  imports: Map<string, string>;
  importedModules: string[];
  defs: Definition[];
  types: Map<string, TypeDefinition>;
  errors: MibError[];
}

/** One node of the compiled dictionary. */
export interface MibNode {
  name: string;
  oid: string;
  module: string;
  kind: NodeKind;
  syntax?: Syntax;
  access?: string;
  status?: string;
  units?: string;
  description?: string;
  reference?: string;
  /** INDEX of a row: `MODULE::name` of each index object, IMPLIED marks the last */
  index?: { node: string; implied: boolean }[];
  /** AUGMENTS of a row: `MODULE::name` */
  augments?: string;
  /** OBJECTS/VARIABLES of notifications and groups: `MODULE::name` */
  objects?: string[];
  defval?: string;
  file?: string;
  line?: number;
}

export interface ModuleSummary {
  name: string;
  file: string;
  nodes: number;
  types: number;
  errors: MibError[];
  imports: string[];
}
