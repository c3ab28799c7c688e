// What process-exit.ts reads from process.getActiveResourcesInfo(): the pool calls that would hold process.exit, and everything still open;
// and an exit while stdout's reader has stopped reading.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activeResources, pendingPoolWork } from '../../src/main/process-exit.ts';

const STALLED_CHILD = fileURLToPath(new URL('./exit-stalled-stdout-child.ts', import.meta.url));

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

describe('exitProcess with a stdout nobody reads', () => {
  it('ends the process anyway, with its status', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', STALLED_CHILD, String(8 << 20)], { stdio: ['ignore', 'pipe', 'pipe'] });
    // stdout stays paused: the pipe and the stream's buffer fill, the rest waits in the child
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      // the old code waited for stdout to drain: this ran into the test's timeout
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(stderr).toMatch(/queued on stdout: [1-9]\d* bytes/);
      expect(code).toBe(1);
    } finally {
      child.stdout.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
