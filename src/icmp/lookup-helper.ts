/**
 * Name lookups in a helper process, for short commands (`ping`, `poll --once`, `discover`, `get`, `walk`,
 * `bulkwalk`). getaddrinfo holds a libuv pool thread until the system resolver gives up
 * (resolv.conf timeout x attempts, 10 s and more on a dead DNS), and Node cannot end while one
 * runs: process.exit() joins the pool's threads. In a helper the lookup dies with it, so the
 * command exits with its status at once.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { signalChild } from './children.ts';
import type { LookupFn } from './name-resolver.ts';

// plain JS for `node -e`: one lookup per line `ID NAME`, one answer per line `ID JSON`; it ends
// itself with SIGKILL when its stdin closes (process.exit would wait for a hung lookup)
const HELPER = `
const dns = require('node:dns');
require('node:readline').createInterface({ input: process.stdin })
  .on('line', (line) => {
    const i = line.indexOf(' ');
    dns.lookup(line.slice(i + 1), (err, address) => process.stdout.write(line.slice(0, i) + ' ' + JSON.stringify(err ? { code: err.code, message: err.message } : { address }) + '\\n'));
  })
  .on('close', () => process.kill(process.pid, 'SIGKILL'));
`;

type Waiter = { resolve: (a: { address: string }) => void; reject: (err: Error) => void };

export class LookupHelper {
  private child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  private readonly waiting = new Map<string, Waiter>();
  private nextId = 0;
  private exitHook = false;

  /**
   * Started at the first lookup. The helper keeps no process alive, not even while lookups wait
   * (a hung one would hold the exit again): callers wait on timers of their own (NameResolver).
   */
  readonly lookup: LookupFn = (name) =>
    new Promise((resolve, reject) => {
      // one line per lookup: a line break in the name would send a second request (with an id of its choosing)
      if (/[\r\n]/.test(name)) return reject(new Error(`icmp: lookup helper: host ${JSON.stringify(name)}: invalid host name (line break)`));
      const child = this.start();
      const id = String(this.nextId++);
      this.waiting.set(id, { resolve, reject });
      child.stdin.write(`${id} ${name}\n`);
    });

  private start(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ['-e', HELPER], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    child.unref();
    (child.stdin as Writable & { unref?: () => void }).unref?.();
    (child.stdout as Readable & { unref?: () => void }).unref?.();
    child.stdin.on('error', () => { /* the helper died: 'exit' fails the waiting lookups */ });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const i = line.indexOf(' ');
      const w = this.waiting.get(line.slice(0, i));
      if (!w) return;
      this.waiting.delete(line.slice(0, i));
      const answer = JSON.parse(line.slice(i + 1)) as { address?: string; code?: string; message?: string };
      if (answer.address !== undefined) w.resolve({ address: answer.address });
      else w.reject(Object.assign(new Error(answer.message ?? 'lookup failed'), { code: answer.code }));
    });
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.failAll(why);
    };
    child.on('error', (err) => gone(err.message));
    child.on('exit', (code, signal) => gone(`exited (${signal ?? `status ${code}`})`));
    if (!this.exitHook) {
      this.exitHook = true;
      process.on('exit', () => { if (this.child) signalChild(this.child, 'SIGKILL'); });
    }
    return child;
  }

  private failAll(why: string): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(new Error(`icmp: lookup helper: ${why}`));
  }
}
