// Lists MIB files off the test's thread (list-files.test.ts), so a listing that never ends meets the test timeout.
import { parentPort, workerData } from 'node:worker_threads';
import { listMibFiles } from '../../src/mib/paths.ts';

parentPort?.postMessage(listMibFiles(workerData as string[]));
