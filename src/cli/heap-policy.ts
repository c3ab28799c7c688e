/**
 * Garbage-collection policies set when a command starts (V8 reads these flags as it goes, so
 * they need not be on node's command line).
 *
 * Service (a poller, the lab, the trap listener): V8 otherwise lets the old generation grow to
 * about four times its live size between full collections, and a poller's short-lived results
 * pile up there: with the SNMP threads (three heaps) a 10,000-device poller peaked at 578 MB RSS
 * without it and 345-459 MB with it, at the same CPU.
 *
 * Compile (a MIB compile): the young generation stays at its first size (1 MB semi-spaces on
 * 64-bit) instead of growing to 16 MB. A compile keeps most of what it allocates, so a large young
 * generation only adds memory to touch: each page is a fault here (about 3 us in this VM) and
 * falls out of the processor's cache. The whole-corpus compile as a fresh process took 7-10% less
 * time with it (bench/mib-compile.ts; 11-21 interleaved runs).
 */
import v8 from 'node:v8';

export type HeapPolicy = 'service' | 'compile';

const HEAP_FLAGS: Record<HeapPolicy, readonly string[]> = {
  service: ['--heap-growing-percent=40'],
  compile: ['--semi-space-growth-factor=1'],
};

export const SERVICE_HEAP_FLAGS = HEAP_FLAGS.service;

export function useHeapPolicy(policy: HeapPolicy): void {
  for (const f of HEAP_FLAGS[policy]) v8.setFlagsFromString(f);
}

export function useServiceHeapPolicy(): void {
  useHeapPolicy('service');
}
