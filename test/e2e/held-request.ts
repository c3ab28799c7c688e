/**
 * Holds one API request of a page in Playwright's router until the test lets it go: a slow answer on
 * demand, so a test can make an older answer arrive after a newer one without sleeping.
 */
import type { Page, Request, Route } from 'playwright-core';

export interface HeldRequest {
  /** the held request, once the page sent it */
  reached: Promise<Request>;
  /** lets it go to the server, or answers it with `reply`; resolves once the page has it or dropped it (aborted) */
  release(reply?: { status: number; json: unknown }): Promise<void>;
  /** stops holding; a request still held goes on to the server */
  stop(): Promise<void>;
}

/** holds the first GET the page sends whose URL `matches`; the others pass */
export async function holdRequest(page: Page, matches: (url: URL) => boolean): Promise<HeldRequest> {
  let held: { request: Request; settled: Promise<void> } | undefined;
  let gone!: () => void;
  let reach!: (r: Request) => void;
  const reached = new Promise<Request>((resolve) => { reach = resolve; });
  let go!: (reply?: { status: number; json: unknown }) => void;
  const gate = new Promise<{ status: number; json: unknown } | undefined>((resolve) => { go = resolve; });
  const handler = async (route: Route): Promise<void> => {
    const request = route.request();
    if (held || request.method() !== 'GET') { await route.fallback(); return; }
    const dropped = new Promise<void>((resolve) => { gone = resolve; });
    held = { request, settled: Promise.race([settledOf(page, request), dropped]) };
    reach(request);
    const reply = await gate;
    // the page may have aborted it meanwhile: then there is nothing left to answer
    await (reply ? route.fulfill({ status: reply.status, json: reply.json }) : route.continue()).catch(() => gone());
  };
  const predicate = (url: URL) => matches(url);
  await page.route(predicate, handler);
  return {
    reached,
    async release(reply) {
      await reached;
      go(reply);
      await held!.settled;
      // the page's own handling of what it got runs in its tasks after the network's: let them run
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    },
    // a request still held goes on: the page is not left waiting for it
    stop: async () => { go(); await page.unroute(predicate, handler); },
  };
}

/** resolves when `request` has finished or failed (an abort by the page counts) */
function settledOf(page: Page, request: Request): Promise<void> {
  return new Promise((resolve) => {
    const done = (r: Request) => {
      if (r !== request) return;
      page.off('requestfinished', done);
      page.off('requestfailed', done);
      resolve();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  });
}
