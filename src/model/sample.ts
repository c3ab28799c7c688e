/**
 * One time-series point. Field typing is by JS type: `bigint` is an integer (counters,
 * gauges, states: written as `i`, or `u` above 2^63-1 where the store can), `number` is a
 * float (rates, percentages, RTTs), string and boolean as is.
 */
export type FieldValue = number | bigint | string | boolean;

export interface Sample {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  /** milliseconds since the epoch */
  time: number;
}

/** Producers write samples to a sink and know nothing of storage. write() never blocks or throws. */
export interface SampleSink {
  write(samples: Sample[]): void;
}

export class MemorySink implements SampleSink {
  readonly samples: Sample[] = [];
  write(samples: Sample[]): void {
    this.samples.push(...samples);
  }
}
