// What process-exit.ts reads from process.getActiveResourcesInfo(): the pool calls that would hold process.exit, and everything still open.
import { describe, expect, it } from 'vitest';
import { activeResources, pendingPoolWork } from '../../src/main/process-exit.ts';

describe('pendingPoolWork', () => {
  it.each([
    ['nothing open', [], []],
    ['handles and timers only', ['TCPServerWrap', 'Timeout', 'TTYWrap', 'CloseReq'], []],
    ['a hung lookup', ['Timeout', 'GetAddrInfoReqWrap'], ['1 name lookup (getaddrinfo)']],
    ['file calls of both APIs counted together', ['FSReqCallback', 'FSReqPromise', 'GetAddrInfoReqWrap', 'FSReqCallback'], ['3 file system call', '1 name lookup (getaddrinfo)']],
    ['reverse lookups and file closes', ['GetNameInfoReqWrap', 'FileHandleCloseReq'], ['1 address lookup (getnameinfo)', '1 file close']],
  ] as [string, string[], string[]][])('%s', (_what, resources, expected) => {
    expect(pendingPoolWork(resources)).toEqual(expected);
  });
});

describe('activeResources', () => {
  it.each([
    ['nothing open', [], 'nothing'],
    ['counted by type, in first-seen order', ['TCPServerWrap', 'Timeout', 'TCPSocketWrap', 'Timeout'], 'TCPServerWrap x1, Timeout x2, TCPSocketWrap x1'],
  ] as [string, string[], string][])('%s', (_what, resources, expected) => {
    expect(activeResources(resources)).toBe(expected);
  });
});
