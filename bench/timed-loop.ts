// The timed loop of the peers group, built afresh (new Function) for every handler and scenario in a worker
// process, so no call site in it is shared: each loop's calls, property reads and its event copy see one
// handler and one event shape, whatever else the process times.

/** What a handler answered once and `answers` verified; every timed call must give the same again. */
export interface Reference {
  statusCode: unknown;
  body: unknown;
  isBase64Encoded?: unknown;
}

export type Handler = (event: unknown, context: unknown) => unknown;

/** Times `n` calls (each with its own shallow copy of the event, as Lambda gives each invocation its own; middy's body parser replaces event.body) and returns ns per call. */
export type TimedLoop = (n: number) => Promise<number>;

// Every answer is checked against the verified one: status, body text and encoding compared (a few ns),
// where parsing each body would cost hundreds and make the harness, timed alone and subtracted, as large as
// the fastest handler.
const SOURCE = `return async function timed(n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const answer = await handler({ ...event }, context);
    if (answer === null || typeof answer !== "object" || answer.statusCode !== statusCode || answer.body !== body || answer.isBase64Encoded !== isBase64Encoded) {
      throw new Error(name + ": a different answer while timing: " + JSON.stringify(answer));
    }
  }
  return Number(process.hrtime.bigint() - t0) / n;
};`;

/** A fresh timed loop calling `handler`, whose every answer must equal `reference`. */
export function timedLoop(name: string, handler: Handler, event: object, context: object, reference: Reference): TimedLoop {
  const build = new Function("name", "handler", "event", "context", "statusCode", "body", "isBase64Encoded", SOURCE);
  return build(name, handler, event, context, reference.statusCode, reference.body, reference.isBase64Encoded) as TimedLoop;
}

/** The harness alone, timed alike: the same loop around an async function that returns the verified answer. */
export function harnessLoop(name: string, event: object, context: object, reference: Reference): TimedLoop {
  return timedLoop(`${name} (harness)`, async () => reference, event, context, reference);
}
