import type { SampleSink } from '../model/sample.ts';

/** One sink writing to several: each is isolated (one that throws does not starve the others). */
export function teeSink(sinks: SampleSink[], onError: (err: unknown) => void = () => {}): SampleSink {
  return {
    write(samples) {
      for (const s of sinks) {
        try {
          s.write(samples);
        } catch (err) {
          onError(err);
        }
      }
    },
  };
}
