export * from './types.ts';
export { summarize } from './stats.ts';
export { parseFpingOutput, type FpingOutput, type FpingHostOutput } from './fping-output.ts';
export { FpingChecker, splitBatches, type FpingCheckerOptions } from './fping-checker.ts';
export { exitOnStopSignals, killEngineChildren } from './children.ts';
export { PingPackageChecker, fromPingResponse } from './ping-checker.ts';
export { detectIcmpEngine, createIcmpChecker, NoIcmpChecker, type IcmpEngineInfo } from './engine.ts';
export { icmpSample } from './samples.ts';
export { FakeIcmpChecker } from './fake.ts';
