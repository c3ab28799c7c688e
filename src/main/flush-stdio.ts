/**
 * Waiting for stdout and stderr before a command ends its process itself (by a signal, or
 * process.exit): a reader that stopped reading (a pipe to a stalled log reader) must not hold it.
 */

/** how long an exit waits for stdout and stderr to take what was written */
const FLUSH_GRACE_MS = 1000;

/** resolves once everything written to `stream` so far was handed to its fd */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  // a write's callback runs once it and everything before it have been handed to the fd
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

/** true once stdout and stderr are flushed, false after FLUSH_GRACE_MS if they are not */
export async function flushStdio(): Promise<boolean> {
  let bound: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => true),
      new Promise<boolean>((resolve) => (bound = setTimeout(() => resolve(false), FLUSH_GRACE_MS))),
    ]);
  } finally {
    clearTimeout(bound);
  }
}
