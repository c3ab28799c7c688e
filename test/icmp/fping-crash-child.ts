// Run by fping-children.test.ts: starts a long fping batch to the address given, then dies of an
// uncaught error once its fping child runs. No fping of it may outlive it.
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { fpingChildrenOf } from './fping-procs.ts';

const address = process.argv[2];
void new FpingChecker().check([address], { count: 400, periodMs: 100 });
const poll = setInterval(() => {
  if (fpingChildrenOf(process.pid).length === 0) return;
  clearInterval(poll);
  process.stdout.write('fping running\n');
  throw new Error('fping-crash-child: crashing on purpose');
}, 20);
