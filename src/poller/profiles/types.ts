import type { PollProfile, ProfileColumn, ProfileTable } from '../../model/profile.ts';
import type { Sample } from '../../model/sample.ts';
import type { TableRow, Varbind } from '../../snmp/types.ts';
import type { CounterReading } from '../rates.ts';
import type { InterfaceSelector } from '../interface-filter.ts';

/** What was fetched for one profile: scalars by field name, tables by table name. */
export interface FetchedData {
  scalars: Map<string, Varbind>;
  tables: Map<string, TableRow[]>;
}

/** Previous counter readings of one device, keyed by row (e.g. `interfaces/3`). */
export interface CounterMemory {
  previous(key: string): { at: number; counters: Record<string, CounterReading> } | undefined;
  remember(key: string, at: number, counters: Record<string, CounterReading>): void;
  /** drops the row's readings (an interface the filter now leaves out) */
  forget(key: string): void;
  /** what the agent was seen to support (e.g. 64-bit counters), forgotten on agent restart */
  capability(name: string): boolean | undefined;
  setCapability(name: string, value: boolean): void;
}

export interface MapContext {
  device: string;
  /** sample time, ms since the epoch */
  time: number;
  /** when the data was read, ms on a monotonic clock: counter deltas (default `time`) */
  readAt?: number;
  memory: CounterMemory;
  /** which interfaces the interfaces profile keeps; absent: all */
  interfaces?: InterfaceSelector;
  /** what the mapper reports about this poll besides samples */
  counts?: PollCounts;
}

export interface PollCounts {
  /** interfaces left out by the interface filter */
  interfacesFiltered?: number;
}

/** What a profile may need to know to choose its columns. */
export interface FetchContext {
  interfaces?: InterfaceSelector;
}

/**
 * A poll profile: the data (OIDs to fetch) plus how fetched values become Samples.
 * Built-ins map to the fixed schema (src/model/schema.ts); user profiles use the generic mapper.
 */
export interface ProfileDefinition {
  profile: PollProfile;
  /** tables that agents commonly lack (ifXTable on v1 agents): their absence is not an error */
  optionalTables?: readonly string[];
  /** columns worth fetching given what the agent supports (default: all of the table's columns) */
  columnsToFetch?(table: ProfileTable, memory: CounterMemory, ctx?: FetchContext): ProfileColumn[];
  /** an optional table this agent is known to have: its failure is an error of the whole profile */
  expectsTable?(table: ProfileTable, memory: CounterMemory): boolean;
  toSamples(data: FetchedData, ctx: MapContext): Sample[];
}

/** A table row with its columns looked up by the profile's column names. */
export interface NamedRow {
  index: string;
  cols: Record<string, Varbind | undefined>;
}
