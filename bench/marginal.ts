// What each optional feature adds to a bundle: the reference app pinned to one adapter (bench/apps/
// lambdalith-pinned.ts, written out below so that a feature can be spliced in), bundled with and without
// the feature, the difference in minified and gzip bytes. A feature an app does not import must cost
// nothing: the base row is the reference app itself. Later features add a row here.

/** A feature spliced into the reference app: imports, code before the app, router calls, adapters. */
export interface Feature {
  name: string;
  imports?: string[];
  before?: string;
  routerOptions?: string;
  /** Calls chained on the router, e.g. `.use(cors())`. */
  app?: string;
  /** Adapters added to `[httpApiV2]`. */
  adapters?: string[];
  /** Replaces the handler line entirely (e.g. a streaming handler). */
  handler?: string;
  /** Imported from the streaming entry, lambdalith/stream. */
  streamImports?: string[];
  /** Code after the handler line (e.g. a second, streaming handler beside it). */
  after?: string;
}

// A streaming handler exported beside the pinned buffered one: what streaming adds to an app that has both.
const STREAMED = "export const streamed = streamHandler(app);";

// A Standard Schema written by hand, so the row measures the library's validation, not a schema library's.
const SCHEMA = `const Exam = { "~standard": { version: 1, vendor: "bench", validate: (value) => typeof value?.title === "string" ? { value } : { issues: [{ message: "title is required", path: ["title"] }] } } };`;

/** The features of the marginal table, measured against the reference app pinned to `httpApiV2`. */
export const FEATURES: Feature[] = [
  { name: "reference app (pinned, the base)" },
  { name: "+ one validated route (router({ validate }))", imports: ["validate"], before: SCHEMA, routerOptions: "{ validate }", app: `.put("/exams/:examId", { body: Exam }, (req, { body }) => body)` },
  { name: "+ cors()", imports: ["cors"], app: ".use(cors())" },
  { name: "+ compress()", imports: ["compress"], app: ".use(compress())" },
  { name: "+ apiGatewayV1 adapter", imports: ["apiGatewayV1"], adapters: ["apiGatewayV1"] },
  { name: "+ functionUrl adapter", imports: ["functionUrl"], adapters: ["functionUrl"] },
  { name: "+ alb adapter", imports: ["alb"], adapters: ["alb"] },
  { name: "+ all default adapters (handle(app))", imports: ["handle"], handler: "export const handler = handle(app);" },
  // The opt-in sources: never in a handle(app) bundle, so these rows are all they cost.
  { name: "+ vpcLattice adapter (opt-in)", imports: ["vpcLattice"], adapters: ["vpcLattice"] },
  { name: "+ lambdaEdge adapter (opt-in)", imports: ["lambdaEdge"], adapters: ["lambdaEdge"] },
  { name: "+ setCookie", imports: ["setCookie"], app: `.get("/login", () => json({}, { cookies: [setCookie("sid", "s-1", { httpOnly: true, secure: true })] }))` },
  { name: "+ a custom HttpError", imports: ["HttpError"], app: `.get("/taken", () => { throw new HttpError(409, "Taken", { examId: "e-1" }); })` },
  { name: "+ onError and notFound", app: ".onError((err) => json({ failed: String(err) }, 500)).notFound((req) => json({ missing: req.path }, 404))" },
  { name: "+ a mounted sub-router", app: `.route("/v1", router().use((req, next) => next()).get("/ping", () => "pong"))` },
  { name: "+ streamHandler(app) (functionUrl + apiGatewayV1)", streamImports: ["streamHandler"], after: STREAMED },
  { name: "+ createStreamHandler(app, { adapters: [functionUrl] })", imports: ["functionUrl"], streamImports: ["createStreamHandler"], after: "export const streamed = createStreamHandler(app, { adapters: [functionUrl] });" },
  { name: "+ streamHandler(app) and a stream() route", streamImports: ["streamHandler", "stream"], app: `.get("/rows", () => stream((async function* () { yield "a,b\\r\\n"; })()))`, after: STREAMED },
  { name: "+ streamHandler(app) and an sse() route", streamImports: ["streamHandler", "sse"], app: `.get("/events", () => sse(["hello", { event: "tick", id: "1", data: { n: 1 } }]))`, after: STREAMED },
  // The app documents itself; the handler closes over `app`, read on the first request.
  { name: "+ openapi() (GET /openapi.json)", imports: ["openapi"], app: `.get("/openapi.json", () => openapi(app, { info: { title: "Bench", version: "1.0.0" } }))` },
];

/** The reference app's source with a feature spliced in (resolved from bench/). */
export function featureSource(feature: Feature): string {
  const imports = ["createHandler", "httpApiV2", "json", "router", ...(feature.imports ?? [])];
  return `import { ${[...new Set(imports)].join(", ")} } from "../src/index.ts";
${feature.streamImports ? `import { ${feature.streamImports.join(", ")} } from "../src/stream/index.ts";` : ""}
${feature.before ?? ""}
const app = router(${feature.routerOptions ?? ""})
  .get("/health", () => ({ status: "ok" }))
  .get("/exams/:examId", (req) => ({ examId: req.params.examId, q: req.query["q"] ?? null }))
  .post("/exams", (req) => json({ id: "exam-1", ...req.json() }, 201))${feature.app ?? ""};
${feature.handler ?? `export const handler = createHandler(app, { adapters: [${["httpApiV2", ...(feature.adapters ?? [])].join(", ")}] });`}
${feature.after ?? ""}
`;
}
