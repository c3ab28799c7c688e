/**
 * Walk and table loops over a Requester (one agent, one credential), with the guard
 * rails net-snmp lacks: strictly increasing OIDs, caps on varbinds and time, and
 * max-repetitions that halves on tooBig and on a timeout once the agent has answered.
 */
import type { NetpulseError } from '../errors/index.ts';
import { SnmpWalkError } from './errors.ts';
import { compareOids, isInSubtree } from './oid.ts';
import type { AnswerEnd, OnAnswerEnd, TableRow, Varbind, WalkOptions } from './types.ts';
import { isException } from './varbind.ts';
import { isAscendingList } from './wire/index.ts';

const TABLE_VARBIND_BUDGET = 2.5;

export const DEFAULT_MAX_VARBINDS = 500_000;
export const DEFAULT_MAX_DURATION_MS = 300_000;

export interface Requester {
  /** `agent ADDRESS:PORT` */
  readonly target: string;
  /** GETBULK is possible (v2c/v3) */
  readonly bulk: boolean;
  /** current max-repetitions for this agent (learned across walks) */
  maxRepetitions: number;
  /** one varbind per requested OID; v1's end of MIB (noSuchName) comes back as EndOfMibView */
  getNext(oids: string[], action: string): Promise<Varbind[]>;
  /** per requested OID, the varbinds returned for it in order; `onEnd` as OnAnswerEnd says */
  getBulk(oids: string[], maxRepetitions: number, action: string, onEnd?: OnAnswerEnd): Promise<Varbind[][]>;
}

interface Column {
  root: string;
  cursor: string;
  done: boolean;
}

interface Budget {
  maxVarbinds: number;
  deadline: number;
  maxDurationMs: number;
  count: number;
}

function budgetOf(opts: WalkOptions | undefined): Budget {
  const maxDurationMs = opts?.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  return { maxVarbinds: opts?.maxVarbinds ?? DEFAULT_MAX_VARBINDS, maxDurationMs, deadline: Date.now() + maxDurationMs, count: 0 };
}

function kindOf(err: unknown): string | undefined {
  return (err as NetpulseError | undefined)?.kind;
}

/**
 * Feeds one column's varbinds into `out`; returns false when the column has ended.
 * Throws SnmpWalkError on a repeated or decreasing OID or when a cap is hit.
 */
function absorb(req: Requester, action: string, col: Column, vbs: Varbind[], out: Varbind[], budget: Budget): void {
  if (vbs.length === 0) {
    col.done = true;
    return;
  }
  if (isAscendingList(vbs) && absorbAscending(col, vbs, out, budget)) return;
  for (const vb of vbs) {
    if (isException(vb) || !isInSubtree(col.root, vb.oid)) {
      col.done = true;
      return;
    }
    if (compareOids(vb.oid, col.cursor) <= 0) {
      const how = vb.oid === col.cursor ? 'repeated' : 'not increasing';
      throw new SnmpWalkError(req.target, action, `agent returned ${how} OID ${vb.oid} after ${col.cursor} (walk loop)`, 'walk-loop', out);
    }
    out.push(vb);
    col.cursor = vb.oid;
    if (++budget.count >= budget.maxVarbinds) {
      throw new SnmpWalkError(req.target, action, `stopped at ${vb.oid} after ${budget.count} varbinds (cap ${budget.maxVarbinds})`, 'walk-cap', out);
    }
  }
}

/**
 * absorb() for an answer whose OIDs the decoder found each above the one before: the first is
 * checked against the cursor, and as a subtree is one stretch of the OID order, the first and the
 * last in it bound the rest. False (nothing taken) when anything needs absorb()'s checks one by one.
 */
function absorbAscending(col: Column, vbs: Varbind[], out: Varbind[], budget: Budget): boolean {
  const n = vbs.length;
  const first = vbs[0].oid;
  const last = vbs[n - 1].oid;
  if (budget.count + n >= budget.maxVarbinds || compareOids(first, col.cursor) <= 0 || !isInSubtree(col.root, first) || !isInSubtree(col.root, last)) return false;
  for (let i = 0; i < n; i++) if (isException(vbs[i])) return false;
  for (let i = 0; i < n; i++) out.push(vbs[i]);
  budget.count += n;
  col.cursor = last;
  return true;
}

function checkDeadline(req: Requester, action: string, cursor: string, out: Varbind[], budget: Budget, cols: Column[] = []): void {
  if (Date.now() > budget.deadline) {
    throw new SnmpWalkError(req.target, action, `stopped at ${cursor} after ${budget.maxDurationMs / 1000}s (time cap)`, 'walk-cap', out, endedRoots(cols));
  }
}

function endedRoots(cols: Column[]): string[] {
  return cols.filter((c) => c.done).map((c) => c.root);
}

/** After this many answers in a row at a reduced max-repetitions, a walk doubles it again. */
export const GROW_BACK_AFTER = 4;

/**
 * Max-repetitions for one walk: halves on tooBig and on a timeout once the agent has answered,
 * and grows back (x2 after GROW_BACK_AFTER answers) so one slow response, typical of an agent
 * reloading a cached table, does not halve the rest of the walk. A size that failed with
 * tooBig, or timed out twice, becomes a ceiling the walk stays below. A timeout right after
 * a timeout's halving fails the walk: the agent has most likely died, and halving on down to 1
 * would cost a timeout cycle per halving.
 */
class Pacing {
  answered = false;
  readonly #target: number;
  #ceiling = Infinity;
  #streak = 0;
  #timeoutsInARow = 0;
  readonly #timedOut = new Set<number>();

  constructor(private readonly req: Requester) {
    this.#target = req.maxRepetitions;
  }

  ok(): void {
    this.answered = true;
    this.#timeoutsInARow = 0;
    const reps = this.req.maxRepetitions;
    if (reps >= this.#target || ++this.#streak < GROW_BACK_AFTER) return;
    this.#streak = 0;
    if (reps * 2 < this.#ceiling) this.req.maxRepetitions = Math.min(this.#target, reps * 2);
  }

  /** true when the request should be repeated with a smaller max-repetitions */
  shrink(kind: string | undefined): boolean {
    const reps = this.req.maxRepetitions;
    if (reps <= 1) return false;
    if (kind === 'tooBig') {
      this.#ceiling = Math.min(this.#ceiling, reps);
      this.#timeoutsInARow = 0;
    } else if (kind === 'timeout' && this.answered && this.#timeoutsInARow++ === 0) {
      if (this.#timedOut.has(reps)) this.#ceiling = Math.min(this.#ceiling, reps);
      this.#timedOut.add(reps);
    } else return false;
    this.#streak = 0;
    this.req.maxRepetitions = Math.max(1, Math.floor(reps / 2));
    return true;
  }
}

/** One round of requests for the given columns, halving max-repetitions on tooBig/timeouts. */
async function fetch(req: Requester, action: string, cols: Column[], useGetNext: boolean, pacing: Pacing, onEnd?: OnAnswerEnd): Promise<Varbind[][]> {
  const bulk = req.bulk && !useGetNext;
  for (;;) {
    try {
      let res: Varbind[][];
      if (!bulk) {
        res = (await req.getNext(cols.map((c) => c.cursor), action)).map((vb) => [vb]);
      } else {
        // max-repetitions counts rows of one column; for a table the budget is varbinds per
        // response (2.5 x max-repetitions), so a 20-column ifTable+ifXTable walk fetches a few
        // rows per round trip instead of one (tooBig still halves it).
        const reps = cols.length === 1 ? req.maxRepetitions : Math.max(1, Math.floor((req.maxRepetitions * TABLE_VARBIND_BUDGET) / cols.length));
        res = await req.getBulk(cols.map((c) => c.cursor), reps, action, onEnd);
      }
      if (bulk) pacing.ok();
      else pacing.answered = true;
      return res;
    } catch (err) {
      if (bulk && pacing.shrink(kindOf(err))) continue;
      throw err;
    }
  }
}

/** Walks the subtree below `root` (not including root itself). */
export async function walkSubtree(req: Requester, root: string, opts?: WalkOptions): Promise<Varbind[]> {
  const action = `walk ${root}`;
  const budget = budgetOf(opts);
  const col: Column = { root, cursor: root, done: false };
  const out: Varbind[] = [];
  const pacing = new Pacing(req);
  const useGetNext = opts?.useGetNext ?? false;
  // The next request leaves before this answer is checked: the agent works on it while we
  // do. It asks from where this answer ends, as absorb() will conclude unless the walk ends
  // here (then it is dropped: at most one extra request per walk). The wire codec says where
  // an answer ends before decoding it (onEnd); other paths once it is decoded.
  let early: Promise<Varbind[][]> | undefined;
  /** where `early` asks from */
  let earlyFrom = '';
  let nextFrom = '';
  let ended = false;
  const sendNextFrom = (lastRow: AnswerEnd[], varbinds: number): void => {
    const last = lastRow.at(-1);
    if (ended || early || !last || last.exception || !isInSubtree(root, last.oid) || compareOids(last.oid, col.cursor) <= 0) return;
    if (budget.count + varbinds >= budget.maxVarbinds || Date.now() > budget.deadline) return;
    earlyFrom = last.oid;
    early = fetch(req, action, [{ root, cursor: last.oid, done: false }], useGetNext, pacing, sendNextFrom);
  };
  checkDeadline(req, action, col.cursor, out, budget);
  let next: Promise<Varbind[][]> | undefined = fetch(req, action, [col], useGetNext, pacing, sendNextFrom);
  try {
    while (next) {
      const [vbs = []] = await next;
      next = undefined;
      const last = vbs.at(-1);
      if (!early && last) sendNextFrom([{ oid: last.oid, exception: isException(last) }], vbs.length);
      next = early;
      nextFrom = earlyFrom;
      early = undefined;
      absorb(req, action, col, vbs, out, budget);
      if (col.done) break;
      if (next && nextFrom !== col.cursor) {
        // asked from where an earlier answer said it ended, not where this one did (it was
        // retried after that): its answer would skip or repeat rows
        await next.catch(() => undefined);
        next = undefined;
      }
      if (!next) {
        checkDeadline(req, action, col.cursor, out, budget);
        next = fetch(req, action, [col], useGetNext, pacing, sendNextFrom);
      }
    }
  } finally {
    // a walk ended by this answer (an agent's odd end, a loop, a cap, a failure) waits for the
    // request already sent, so an agent never has more than one of ours in flight
    ended = true;
    for (const inFlight of [next, early]) if (inFlight) await inFlight.catch(() => undefined);
  }
  return out;
}

/**
 * Walks several columns side by side (GETBULK with one repeater per column) and groups by row index.
 * A cap or loop fails it with SnmpWalkError, whose `partial` holds every varbind read so far and
 * `ended` the columns that had ended by then.
 */
export async function walkTable(req: Requester, columns: string[], opts?: WalkOptions): Promise<TableRow[]> {
  const action = `table ${columns.join(',')}`;
  const budget = budgetOf(opts);
  const cols: Column[] = columns.map((c) => ({ root: c, cursor: c, done: false }));
  const perColumn = new Map<string, Varbind[]>(columns.map((c) => [c, []]));
  const pacing = new Pacing(req);
  const useGetNext = opts?.useGetNext ?? false;
  const all: Varbind[] = [];
  // v1 signals the end of the MIB for the whole PDU, so there each column is walked alone.
  const together = req.bulk || opts?.useGetNext === true;
  // As in walkSubtree, the next round may leave from an answer's last row before the answer is
  // decoded; `plan` is what it asked for, and is used only if absorb() then agrees (an agent's
  // odd answer, such as a column leaving its table mid-answer, makes the round be asked again).
  let batch: Column[] = [];
  let early: { plan: Column[]; answer: Promise<Varbind[][]> } | undefined;
  let pending: Promise<Varbind[][]> | undefined;
  let ended = false;
  const keep = (col: Column, got: Varbind[]): void => {
    perColumn.get(col.root)!.push(...got);
    all.push(...got);
  };
  const sendNextFrom = (lastRow: AnswerEnd[], varbinds: number): void => {
    if (ended || early || !together || lastRow.length !== batch.length || varbinds % batch.length !== 0) return;
    if (budget.count + varbinds >= budget.maxVarbinds || Date.now() > budget.deadline) return;
    const plan: Column[] = [];
    batch.forEach((col, i) => {
      const e = lastRow[i];
      if (!e.exception && isInSubtree(col.root, e.oid) && compareOids(e.oid, col.cursor) > 0) plan.push({ root: col.root, cursor: e.oid, done: false });
    });
    if (plan.length > 0) early = { plan, answer: fetch(req, action, plan, useGetNext, pacing, sendNextFrom) };
  };
  try {
    for (;;) {
      const active = cols.filter((c) => !c.done);
      if (active.length === 0) break;
      let res: Varbind[][];
      if (pending) {
        res = await pending;
        pending = undefined;
      } else {
        batch = together ? active : [active[0]];
        checkDeadline(req, action, batch[0].cursor, all, budget, cols);
        res = await fetch(req, action, batch, useGetNext, pacing, sendNextFrom);
      }
      // an agent that cuts an answer at its packet size (Cisco) may leave some columns without
      // a varbind: those are asked again from their cursor; an empty answer ends them all
      const someAnswered = res.some((vbs) => vbs.length > 0);
      batch.forEach((col, i) => {
        const got: Varbind[] = [];
        if (someAnswered && !res[i]?.length) return;
        try {
          absorb(req, action, col, res[i] ?? [], got, budget);
        } catch (err) {
          keep(col, got);
          // absorb's error holds this column's part of this answer: the caller gets every column read
          // so far, and which had ended (those limit no rows: a sparse column ends early)
          if (err instanceof SnmpWalkError) {
            throw new SnmpWalkError(req.target, action, err.reason, err.kind as 'walk-loop' | 'walk-cap', all, endedRoots(cols));
          }
          throw err;
        }
        keep(col, got);
      });
      const sent = early;
      early = undefined;
      if (sent) {
        const now = cols.filter((c) => !c.done);
        if (samePlan(now, sent.plan)) {
          batch = now;
          pending = sent.answer;
        } else {
          await sent.answer.catch(() => undefined);
        }
      }
    }
  } finally {
    ended = true;
    for (const inFlight of [pending, early?.answer]) if (inFlight) await inFlight.catch(() => undefined);
  }
  return groupRows(columns, perColumn);
}

function samePlan(now: Column[], plan: Column[]): boolean {
  return now.length === plan.length && now.every((c, i) => c.root === plan[i].root && c.cursor === plan[i].cursor);
}

export function groupRows(columns: string[], perColumn: Map<string, Varbind[]>): TableRow[] {
  const rows = new Map<string, TableRow>();
  for (const col of columns) {
    for (const vb of perColumn.get(col) ?? []) {
      const index = vb.oid.slice(col.length + 1);
      let row = rows.get(index);
      if (!row) rows.set(index, (row = { index, values: new Map() }));
      row.values.set(col, vb);
    }
  }
  return [...rows.values()].sort((a, b) => compareOids(a.index, b.index));
}
