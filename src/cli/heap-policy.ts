/**
 * The garbage-collection policy of the commands that run for long (a poller, the lab, the trap
 * listener). V8 otherwise lets the old generation grow to about four times its live size between
 * full collections, and a poller's short-lived results pile up there: with the SNMP threads
 * (three heaps) a 10,000-device poller peaked at 578 MB RSS without it and 345-459 MB with it, at
 * the same CPU. Short batch commands (a MIB compile) run faster without it, so it is set when such
 * a command starts rather than on node's command line; V8 reads it at every heap-limit update.
 * A MIB compile's young generation is fixed by bin/netpulse, on node's command line
 * (`--max-semi-space-size=1`): V8 sizes it as the heap is made.
 */
import v8 from 'node:v8';

export const SERVICE_HEAP_FLAGS: readonly string[] = ['--heap-growing-percent=40'];

export function useServiceHeapPolicy(): void {
  for (const f of SERVICE_HEAP_FLAGS) v8.setFlagsFromString(f);
}
