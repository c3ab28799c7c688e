import type { Sample, SampleSink } from '../model/sample.ts';

/**
 * Stand-in sink until storage is wired in: counts what it receives and logs one line per
 * period (`sink: 1234 samples from 40 devices in 60s (snmp_interface 800, icmp 40, ...)`).
 */
export class SummarySink implements SampleSink {
  private count = 0;
  private readonly devices = new Set<string>();
  private readonly perMeasurement = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private since = Date.now();

  constructor(private readonly log: (line: string) => void, periodMs: number) {
    this.timer = setInterval(() => this.flush(), periodMs);
    this.timer.unref();
  }

  write(samples: Sample[]): void {
    this.count += samples.length;
    for (const s of samples) {
      this.perMeasurement.set(s.measurement, (this.perMeasurement.get(s.measurement) ?? 0) + 1);
      if (s.tags.device) this.devices.add(s.tags.device);
    }
  }

  flush(): void {
    const secs = Math.round((Date.now() - this.since) / 1000);
    const parts = [...this.perMeasurement].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ');
    this.log(`sink: ${this.count} samples from ${this.devices.size} devices in ${secs}s${parts ? ` (${parts})` : ''}`);
    this.count = 0;
    this.devices.clear();
    this.perMeasurement.clear();
    this.since = Date.now();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.count > 0) this.flush();
  }
}
