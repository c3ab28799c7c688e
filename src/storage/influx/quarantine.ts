/**
 * Batches InfluxDB rejected (HTTP 400: field type conflict, bad name, ...) are kept here,
 * one JSON document per line: `{"time":..., "status":400, "error":"<server message>",
 * "points":N, "lines":"<line protocol>"}`. Fix the cause, then replay a batch with e.g.
 * `jq -r .lines influx-quarantine.jsonl | curl --data-binary @- 'http://127.0.0.1:8086/write?db=netpulse&precision=ms'`.
 * When the file passes `maxBytes` it is rotated to `<file>.1` (one old generation kept).
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export class Quarantine {
  constructor(readonly file: string, readonly maxBytes: number) {}

  /** Throws on I/O errors; the caller counts and logs. */
  add(entry: { status?: number; error: string; points: number; lines: string }): void {
    mkdirSync(dirname(this.file), { recursive: true });
    try {
      if (statSync(this.file).size > this.maxBytes) renameSync(this.file, `${this.file}.1`);
    } catch { /* no file yet */ }
    appendFileSync(this.file, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
  }
}
