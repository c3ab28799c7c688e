/**
 * An engine child whose spawn failed (ENOENT, EMFILE, EAGAIN; its 'error' comes a tick later) has
 * no pid, and ChildProcess.kill() on it signals the pid libuv left unset: 0 (netpulse's own process
 * group) or whatever the memory held. close() (endChildren) and the exit hook (killEngineChildren)
 * must leave it alone. kill() is stubbed here, so a regression signals nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { endChildren, ENGINE_SPAWN, killEngineChildren, trackChild, untrackChild } from '../../src/icmp/children.ts';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) untrackChild(c);
});

function unspawned(): { child: ChildProcess; kill: ReturnType<typeof vi.fn> } {
  const child = spawn('/nonexistent/netpulse-test-engine', [], { ...ENGINE_SPAWN, stdio: 'ignore' });
  child.on('error', () => { /* ENOENT, expected */ });
  const kill = vi.fn(() => false);
  child.kill = kill;
  started.push(child);
  return { child, kill };
}

describe('an engine child whose spawn failed (no pid)', () => {
  it('the exit hook (killEngineChildren) does not signal it', () => {
    const { child, kill } = unspawned();
    expect(child.pid).toBeUndefined();
    trackChild(child);
    killEngineChildren();
    expect(kill).not.toHaveBeenCalled();
  });

  it('close() (endChildren) does not signal it, and returns', async () => {
    const { child, kill } = unspawned();
    expect(child.pid).toBeUndefined();
    await endChildren([child], 10);
    expect(kill).not.toHaveBeenCalled();
  });
});
