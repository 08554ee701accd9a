// Byte budgets of what users deploy: esbuild bundles (minified ESM, node target, tree-shaken) of the 4-route
// reference app (bench/apps), measured the same way as `npm run bench -- size`. Sizes are deterministic, so
// they are tested; times never are.
//
// Budget log (newest last). Each change says why.
// - 2026-11-24: first budgets, set at the measured size plus ~4% headroom, as a regression guard. The
//   targets in DESIGN.md / the bench issue (6 KiB all adapters, 4 KiB one adapter, 2 KiB router) are NOT
//   met: 20.3 KB / 16.1 KB / 7.4 KB measured. Reaching them needs a size-first rewrite of the request model,
//   the result serializers and the router (the status table, header helpers and problem/validation paths
//   are the largest parts; see bench/size.ts metafile output). Lower these as that work lands; never raise
//   them without a line here.
// - 2026-11-24: raised by ~450 B each (all adapters 21,100 → 21,500; pinned 16,800 → 17,200; router alone
//   7,750 → 8,100) for the first review's fixes: header values with CR/LF refused, case-insensitive header
//   overrides, ArrayBuffer bodies, onError fall-through, route paths checked at registration. Correctness
//   over bytes; measured after: 20,978 / 16,770 / 7,833.
// - 2026-12-01: lowered (all adapters 21,500 → 14,800; pinned 17,200 → 12,400; router alone 8,100 →
//   6,900) by the pay-per-use reshape: validation linked only through router({ validate }), one request
//   class with views built on first read, adapters that read only what their source differs in, one
//   toResult, compiled route expressions, short messages. Measured: 14,581 / 12,193 / 6,731. The DESIGN
//   targets (9 KiB / 7 KiB) are still missed; see the closing note of the "pay only for what you use" issue.
// - 2026-12-01: raised (all adapters 14,800 → 16,000; pinned 12,400 → 13,500; router alone 6,900 → 7,000)
//   for the reliability issue: malformed event maps, lists, header/query values and base64 bodies are 400
//   problems naming the field, maxBodyBytes, and a response over the source's payload limit is a logged
//   500 naming its size. Measured: 15,737 / 13,278 / 6,776.
// - 2026-12-01: first budgets for the opt-in adapters (issue 12), as marginal bytes over the pinned app at
//   the measured size plus ~5%: vpcLattice 1,449 → 1,520, lambdaEdge 1,941 → 2,040. The handle(app) and
//   pinned budgets are unchanged: neither adapter is in defaultAdapters.
// - 2026-12-01: raised by 100 B (all adapters 16,000 → 16,100; pinned 13,500 → 13,600): the app's answer
//   (body limit, app, errors as responses) is one function shared with streamHandler instead of two
//   copies of the flow (+66 B). Measured: 16,006 / 13,528.
// - 2026-12-01: first budget for openapi() (issue 15), marginal bytes of a GET /openapi.json route over the
//   pinned app at the measured size plus ~5%: 5,968 → 6,270. The other budgets are unchanged: an app that
//   does not import it carries none of it (sizes identical; only esbuild's name alphabet shifts, since
//   src/index.ts has two more export lines).
// - 2026-12-01: raised by 50 B (all adapters 16,100 → 16,150; pinned unchanged) for per-invocation and
//   cold-start work: the query string parsed by index (no split, one pass however the pairs look), header
//   injection checked by three scans instead of a regular expression compiled on the first response, route
//   segments escaped without one at registration (−57 B back from problem() built on respond() and 405s
//   answered from the per-method expressions). Measured: 16,127 / 13,581 / 6,798.
// - 2026-12-01: raised by 50 B (all adapters 16,150 → 16,200; pinned 13,600 → 13,650): the handlers call a
//   router's dispatch directly, which answers without a promise of its own when every layer is
//   synchronous (−100 ns per invocation on every source, bench: peers). The dispatch rides on the router's
//   `handle` function, so a replaced handle (a tracing wrapper) is still the one called. Measured: 16,196 /
//   13,650 / 6,821.
// - 2026-12-01: raised by 130 B (all adapters 16,200 → 16,330; pinned 13,650 → 13,780): a synchronous
//   answer is shaped into the source's result at once instead of after an `await` (a turn of the event
//   loop's microtask queue), and a matched route with no app middleware runs without a second settle
//   around the one it already has (two promise hops fewer for an async handler): −5 to −15% per
//   invocation on every source, Node 20 and 24 (bench: peers). Measured: 16,323 / 13,777 / 6,864.
// - 2026-12-01: raised by 70 B (all adapters 16,330 → 16,400; pinned 13,780 → 13,850): HttpError declares
//   its fields and stores them one by one (its name a getter on the prototype) instead of Object.assign on
//   an Error: constructing one costs 250 ns instead of 580 (Node 24; 340 instead of 700 on Node 20), on
//   every 405 and every error thrown as an answer. Measured: 16,387 / 13,841 / 6,928 (pinned gzip 6,165: its budget 6,150 → 6,200).
// - 2026-12-01: raised by 30 B (all adapters 16,400 → 16,430; pinned 13,850 → 13,880): the
//   problem+json type is known text without the binary-detection expression, like json()'s type: −5% on
//   a 404 (bench: peers). Measured: 16,419 / 13,873 / 6,928.
// - 2026-12-01: raised by 280 B (all adapters 16,430 → 16,710; pinned 13,880 → 14,160; router alone
//   7,000 → 7,160) for the 404, the one answer a peer gave faster (middy, Node 24) and the one scanners
//   ask for most: the default 404's problem JSON is built once (only the request id differs; problem()
//   takes the precomputed head, its members helper shared), and a path no route matches is found by one
//   expression of every route instead of one per method. 404: −35% on both Nodes (Node 24 ~800 → ~540
//   ns, middy 510). Measured: 16,701 / 14,153 / 7,153 (gzip 7,034 / 6,265 / 3,523; gzip budgets
//   6,950 → 7,050, 6,200 → 6,300, 3,500 → 3,550).
// - 2026-12-01: raised by 30 B (all adapters 16,710 → 16,740; pinned 14,160 → 14,190): GET and POST skip
//   toUpperCase (every AWS source sends the method upper-cased), and a path without "%" decodes none of its
//   params (one scan of the path instead of one per param): −5% on REST GET, Node 24 (bench: peers, A/B
//   in one process). Measured: 16,729 / 14,181 / 7,157.
// - 2026-12-01: json()'s content type is one shared constant (response.ts JSON_TYPE) that the header
//   injection scan and binary detection compare against: −12 B pinned, −5% per JSON response (A/B); the
//   router alone +8 B (7,160 → 7,170; gzip of all adapters 7,060 → 7,070). Measured: 16,718 / 14,169 /
//   7,165.
// - 2026-12-01: raised by 60 B (all adapters 16,740 → 16,800; pinned 14,190 → 14,250; router alone
//   7,170 → 7,230; gzip 7,070 → 7,100, 6,300 → 6,320, 3,550 → 3,570): the route expressions hold only
//   routes with params, whole static paths being answered by their map already (a 405's Allow reads the
//   map too), so a request for a param route never tries the app's static paths first: router bench
//   539 → 487 ns for all 7 requests, cold 0.72 → 0.64 ms. Measured: 16,752 / 14,202 / 7,220.
// - 2026-12-01: raised by 1,230 B (all adapters 16,800 → 18,050; pinned 14,250 → 15,450; router alone
//   7,230 → 8,460; gzip 7,100 → 7,650, 6,320 → 6,850, 3,570 → 4,120) for fourteen bugs a review found,
//   each with a test that failed before: header injection through a header name or `res.cookies` (CR/LF,
//   a colon in a name), setCookie attributes injected through sameSite, base64 bodies over ~4.4 M
//   characters crashing the check (a 500 on a 3.4 MB upload), onError's answer normalized like a handler's,
//   a function or symbol answer a 500, a middleware returning nothing or calling next() twice a logged
//   500, an inner group's onError no longer covering an outer group's middleware, a group's middleware
//   and notFound serving the 404s/405s under its prefix (its cors() answers preflights), static route
//   text no request can carry refused at registration (the router alone now links canonicalPath for it),
//   `instanceof HttpError` across the ESM and CommonJS builds, weak ETags on compressed bodies, Edge's
//   truncated body with maxBodyBytes, `constructor` headers on Edge, prototype-named keys of REST's
//   single-value maps. Per invocation unchanged (A/B within noise on both Nodes); cold +0.1 ms (bytes
//   preparsed). Measured: 18,012 / 15,433 / 8,444 (gzip 7,608 / 6,823 / 4,106).
// - 2026-12-01: openapi() 6,270 → 8,870 (measured 8,447, +5%) for the second review's findings: a schema's
//   definitions join the components under names of their own when theirs is taken (two recursive valibot
//   schemas both name theirs "0"; a user's "Problem"), shared when identical with everything they reference,
//   made valid component names; references to a schema's own root get it as a component; operation ids made
//   unique; one path item per path shape; GET answers HEAD before all(); a converter's root reference
//   followed to list parameters; crashes on odd converters or validators turned into warnings. Apps that
//   don't call openapi() carry none of it (the other budgets unchanged).
// - 2026-12-01: raised by 280 B (all adapters 18,050 → 18,300; pinned 15,450 → 15,720; router alone
//   8,460 → 8,570; gzip 7,650 → 7,720, 6,850 → 6,940, 4,120 → 4,160) for a third review's findings on the
//   request model: a malformed escape no longer stops the valid ones beside it from being decoded (query,
//   cookies), an encoded path's lower-case hex is upper-cased (/caf%c3%a9 was a 404 on REST, ALB and Function
//   URLs, a 200 on HTTP API), text() drops a byte order mark (json() gave a 400) and is decoded once.
//   Measured: 18,293 / 15,714 / 8,560 (gzip 7,710 / 6,928 / 4,158).
// - 2026-12-01: raised by 250 B (all adapters 18,300 → 18,550; pinned 15,720 → 15,930; gzip 7,720 → 7,800,
//   6,940 → 7,020; router alone unchanged) for a fourth review's findings on handler options: an HTTP API
//   stage is stripped only on the execute-api host (a custom domain's "/dev/notes" was routed as "/notes"),
//   basePath is compared in its percent-encoded spelling, an API Gateway authorizer's input (methodArn,
//   routeArn) goes to fallback instead of being answered as a request, and the unknown-event error quotes and
//   clips the keys it names (a 1 MB key made a 1 MB message). Measured: 18,546 / 15,928 / 8,560 (gzip 7,799 /
//   7,011 / 4,158).
// - 2026-12-01: gzip of all adapters raised by 10 B (7,800 → 7,810; minified budgets unchanged): the binary
//   check's text-type expression no longer lets `[^;]*` overlap its leading `\s*` (a blank-padded response
//   type took quadratic time: 0.6 s at 40,000 blanks). Measured: 18,548 / 15,930 / 8,560 (gzip 7,801 /
//   7,014 / 4,157).
// - 2026-12-01: raised by 150 B all adapters (18,550 → 18,700; gzip 7,810 → 7,870), 120 B pinned (15,930 →
//   16,050; gzip 7,020 → 7,060) and 70 B router alone (8,570 → 8,640; gzip 4,160 → 4,200) after an adapter
//   review against AWS's pages: reason phrases for 206/410/501/504 (+77 B everywhere; an ALB's
//   statusDescription read "410 Unknown", and so did the problem title), the ALB's 1 MB limit measured on the
//   result as sent (+39 B pinned through the shared size check; 1,048,710 bytes of JSON passed before), and
//   a VPC Lattice v1 Cookie joined from two headers read as two cookies (all adapters only). Measured:
//   18,689 / 16,046 / 8,637 (gzip 7,862 / 7,059 / 4,198). The vpcLattice marginal budget 1,520 → 1,690 for
//   that cookie split (measured 1,606).
// - 2026-12-01: raised by 200 B all adapters (18,700 → 18,900; gzip 7,870 → 7,930) and pinned (16,050 →
//   16,250; gzip 7,060 → 7,120) for what fuzzing every captured event found (src/adapters/fuzz.test.ts): a
//   body flagged base64 but absent was a 500, a non-string domainName or stage with its own toString threw,
//   a Function URL's cookie merge was quadratic (a Set now), a 400 quoted a 50 KB header name whole, and
//   sourceIp, stage and auth of another type reached handlers as such. The lambdaEdge marginal budget 2,040
//   → 2,260: its size fallback recursed without end on an over-long request id (measured 2,148).
//   Measured: 18,884 / 16,241 / 8,637 (gzip 7,914 / 7,110 / 4,198).
// - 2026-12-01: raised by 100 B (all adapters 18,900 → 19,000; pinned 16,250 → 16,350; router alone 8,640
//   → 8,740; gzip 7,930 → 7,970, 7,120 → 7,170, 4,200 → 4,250) for what a differential fuzz of the router
//   found (src/router/router.fuzz.test.ts): a group mounted under a prefix with a param ("/t/:tenant") never
//   served its 404s and 405s with its middleware and notFound (the prefix was compared as text), and a param
//   named __proto__ set the params object's prototype (now refused at registration). Measured: 18,975 /
//   16,332 / 8,728 (gzip 7,960 / 7,158 / 4,246).
// - 2026-12-01: raised by 100 B (all adapters 19,000 → 19,100; pinned 16,350 → 16,450; router alone 8,740
//   → 8,840; gzip 7,970 → 8,030, 7,170 → 7,230, 4,250 → 4,320): the router fuzz, widened to overlapping
//   groups, found mounts ranked by the length of their prefix text ("/:id", mounted first, served "/api"'s
//   misses before the "/api" group) and a nested group without middleware of its own missing from them (a
//   sibling at a shorter prefix served its misses). Mounts are now ranked as routes are. Measured: 19,078 /
//   16,433 / 8,829 (gzip 8,020 / 7,217 / 4,300).
// - 2026-12-01: raised by 100 B (all adapters 19,100 → 19,200; pinned 16,450 → 16,550; router alone 8,840
//   → 8,940; gzip 8,030 → 8,080, 7,230 → 7,280, 4,320 → 4,370): the router's 404, 405 and 414 problems carry
//   a `detail` (ExamBuddy's docs, as RFC 9457 readers, expect one on every problem: a model-based fuzz of its
//   API found none on these). Measured: 19,169 / 16,524 / 8,920 (gzip 8,061 / 7,258 / 4,346).
// - 2026-12-01: raised (all adapters 19,200 → 19,250; pinned 16,550 → 16,570; router alone 8,940 → 8,950;
//   gzip of all adapters 8,080 → 8,090) for a review of the core against the RFCs: app.routes() returns
//   copies of its rows, schemas and options (+53 B: a caller changing a row's schema changed the route's
//   validation), binary() takes an ArrayBuffer or DataView through toResponse's view code (+9 B), and a
//   problem for a status without a phrase has no title instead of "Unknown" (RFC 9457; −34 B pinned, +4 B
//   all adapters, whose ALB keeps statusText). Measured: 19,249 / 16,566 / 8,947 (gzip 8,083 / 7,264 / 4,350).
// - 2026-12-01: openapi() 8,870 → 9,550 (measured 9,485) for a third review's findings, each a document that
//   said what the router or the adapters do not do: status keys "2xx"/"Default" (an invalid document) and
//   keys that are no status, a body documented for 204/205/304/1XX and HEAD (the adapters send none), GET
//   /a/* dropped beside GET /a/:id under a warning saying it was documented, a route under another spelling
//   of its path losing its params schema, params the path lacks, array/object query and header parameters
//   (validate() sees one string per name) and security requirements naming no declared scheme now warned,
//   a throwing ~standard getter a warning instead of a crash. Apps that don't call openapi() carry none of it.
// - 2026-12-01: openapi() 9,550 → 9,650 (measured 9,585): its app validates a query, and validate() now hands
//   a query schema every value sent (a repeated key as a list: v.array() could never pass, a second value
//   was dropped unseen). Apps without router({ validate }) carry none of it; the other budgets are unchanged.
// - 2026-12-01: raised by 5 B (all adapters 19,250 → 19,255) for a user's walk through the README: a
//   maxBodyBytes that is no number (NaN from an unset environment variable) lifted the limit; the check now
//   fails closed (`!(length <= max)`, +4 B; pinned unchanged at 16,570). Measured: 19,253 / 16,570 / 8,947.
// - 2026-12-01: raised by 40 B (all adapters 19,255 → 19,295; pinned 16,570 → 16,610; gzip 8,090 → 8,110,
//   7,280 → 7,290): the error for an event no adapter accepts said "Use the fallback option", the wrong fix
//   for the likeliest miss (a Lattice or Edge event without its opt-in adapter); it names those adapters
//   now. Measured: 19,293 / 16,610 / 8,947 (gzip 8,108 / 7,287 / 4,350).
// - 2026-12-01: raised by 20 B (all adapters 19,295 → 19,315; pinned 16,610 → 16,630; router alone 8,950 →
//   8,970; gzip 8,110 → 8,120, 7,290 → 7,300): a route path without its leading "/" (`app.get("health", …)`)
//   was refused with only the param rules as the reason; the message names the slash rule too (+18 B).
//   Measured: 19,311 / 16,628 / 8,965 (gzip 8,115 / 7,295 / 4,357).
// - 2026-12-01: raised by 15/20/10 B (all adapters 19,315 → 19,330; pinned 16,630 → 16,650; router alone
//   8,970 → 8,980): HttpError restores Error.stackTraceLimit in a finally. A detail that could
//   not become a string (a Symbol, a null-prototype map such as req.query) left it at 0 for the whole process,
//   so every later error of every request there, concurrent ones on Lambda Managed Instances included, was
//   logged without stack frames (gzip 8,120 → 8,130, 7,300 → 7,310). Measured: 19,323 / 16,640 / 8,977 (gzip 8,125 / 7,304).
// - 2026-12-01: raised by 70 B (all adapters 19,330 → 19,400; pinned 16,650 → 16,720; router alone 8,980 →
//   9,050; gzip +30 each): the library's error log lines (an unhandled error, a stream failing after its first
//   byte) carry Lambda's invocation id as lambdaRequestId beside the source's requestId, written once
//   (requestFields): on Lambda Managed Instances one process serves several invocations at once and their
//   lines interleave in one log stream; API Gateway's id alone does not tie a line to its invocation.
//   Measured: 19,395 / 16,712 / 9,049 (gzip 8,147 / 7,328 / 4,391).
// - 2026-12-02: raised by 70 B (all adapters 19,400 → 19,470; gzip 8,160 → 8,190; vpcLattice marginal 1,690 →
//   1,720; pinned unchanged): a result with one string per header name (ALB single-value mode, Lattice)
//   silently dropped every Set-Cookie after the 512th (the case variants of the name run out); the 513th
//   now throws, a logged 500 naming the fix, as the payload limits do. Measured: 19,468 / 16,712 / 9,049
//   (gzip 8,183 / 7,328 / 4,391); vpcLattice +1,720.
// - 2026-12-01: the lambdaEdge marginal budget 2,260 → 2,440 (measured 2,186 → 2,436; gzip 873 → 983; the
//   pinned and handle(app) bundles unchanged, Edge is opt-in) after a review against CloudFront's pages: a
//   1xx answer is a logged 500 (CloudFront takes a generated status of 200–599 only), a body the viewer sent
//   but the trigger does not include ("Include body" off) is a thrown error naming the option instead of an
//   empty body, and a result without a body has no body field (CloudFront 502s a 204 that has one).
// - 2026-12-01: openapi() 9,650 → 9,850 (measured 9,832, was 9,647) for a user's contract review of ExamBuddy's
//   /openapi.json: an error status a route described without a schema was documented as an answer without
//   a body while HttpError sends problem+json (+94 B, now the shared problemResponse()), and an array query
//   schema, which refuses ?tag=a (one value is a string), is now named in a warning (+91 B). Apps that
//   don't call openapi() carry none of it; the other budgets are unchanged.
// - 2026-12-02: raised by 30/20/30 B (all adapters 19,470 → 19,500; pinned 16,720 → 16,740; router alone 9,050 →
//   9,080): errorResponse could reject, so app.handle did and a plain-function app's Lambda handler failed the
//   invocation (API Gateway's bare 502, no request id), when an HttpError's extensions could not be serialized
//   (a BigInt, a cycle) or the thrown value could not be read for the log (a null-prototype object, a throwing
//   toString, a Proxy): a try around the HttpError's problem (+23 B) and one around reading the error in
//   logJson (+11 B). Measured: 19,495 / 16,739 / 9,076 (gzip 8,175 / 7,327 / 4,395).
// - 2026-12-02: raised by 20/25/20 B (all adapters 19,500 → 19,520; pinned 16,740 → 16,765; router alone 9,080 →
//   9,100, its gzip 4,400 → 4,410): a group's onError that returned nothing ("not mine") or threw ended in the
//   default problem, skipping the app's onError; errorResponse now throws such an error on for a group
//   (settle's passOn), so the enclosing group's onError, then the app's, see it. Measured: 19,519 / 16,763 /
//   9,100 (gzip 8,182 / 7,337 / 4,408).
// - 2026-12-02: raised by 30/25/30 B (all adapters 19,520 → 19,550; pinned 16,765 → 16,790; router alone 9,100 →
//   9,130, gzip 8,190 → 8,200, 7,340 → 7,355, 4,410 → 4,425): a thrown 5xx HttpError (a 503 from a throttled
//   call) was answered with no log line, so a 5xx in API Gateway's metrics had nothing in the log; it is now
//   logged once with the request id and route, through the same logJson call as an unknown error (+27 B).
//   Measured: 19,546 / 16,790 / 9,127 (gzip 8,194 / 7,353 / 4,421).
// - 2026-12-02: openapi() 9,850 → 10,950 (measured 10,919, was 9,832; gzip 3,651 → 4,089) for responses that
//   are not JSON and their headers: a route's response entry may name its media types (`content`) and its
//   headers (OpenAPI Header Objects), each bad media type, Content-Type header or field name a warning.
//   Apps that don't call openapi() carry none of it; the other budgets are unchanged.
// - 2026-12-02: vpcLattice 1,720 → 1,760 (measured 1,752): Lattice v2's identity made `auth` even when Lattice
//   vouched for no caller (auth type NONE sends only `type` and `sourceVpcArn`), so `if (!req.auth)` let the
//   anonymous in; those two keys no longer count (+32 B). Opt-in: the other budgets are unchanged.
// - 2026-12-02: raised by 120/120/60 B (all adapters 19,550 → 19,680; pinned 16,790 → 16,920; router alone 9,130 →
//   9,190; gzip 8,200 → 8,270, 7,355 → 7,420, 4,425 → 4,460) for per-invocation speed on REST and ALB (issue 9):
//   route param names internalized (a sliced name made every params store megamorphic; +22 B), routePath
//   builds no prefix list per call (+8), toResult skips toLowerCase for content-type and the empty cookie list
//   (+35), plain-object answers skip toResponse's byte and class checks (+36), detectAdapter loops by index
//   (+18). Interleaved A/B, Node 24: REST 0.85–0.88× of before, ALB 0.93–0.95×; Node 20: 0.91× / 0.96×.
//   Measured: 19,665 / 16,909 / 9,185 (gzip 8,254 / 7,406 / 4,447).
// - 2026-12-02: raised by 30/10 B (all adapters 19,680 → 19,710, gzip 8,270 → 8,275; pinned 16,920 → 16,930; router
//   alone unchanged) for per-invocation speed on ALB and REST (issue 9): the handler no longer settles a router's
//   dispatch a second time (answer() calls the DISPATCH its handle carries, which settles its own answer and never
//   rejects; +27 B), ALB's statusDescription is built once per status instead of by a template per response (+21 B),
//   and ALB's query read wraps one closure per read, not two (+2 B). Interleaved A/B, Node 24: ALB 0.906–0.920× of
//   before (three runs), REST 0.955–0.963×, HTTP API and Function URL 0.96–0.99×; Node 20: ALB 0.94×, REST 0.96×.
//   Measured: 19,707 / 16,928 / 9,177 (gzip 8,272 / 7,415 / 4,445).
// - 2026-12-02: raised by 40/45/30 B (all adapters 19,710 → 19,750, gzip 8,275 → 8,305; pinned 16,930 → 16,975,
//   gzip 7,420 → 7,450; router alone 9,190 → 9,220, gzip 4,460 → 4,480) for a clearer registration error, found by
//   a user trial of the packed package: a route path the router cannot serve named the route and every rule but not
//   the segment that broke one, so `/files/:name.pdf`, `/a/:id?` or a repeated `:id` left the user to guess; the
//   message now quotes that segment (`cannot serve ":name.pdf"`) and says which characters a param name takes
//   (+45 B). kindOf() says `undefined`, not `a undefined` (a missing handler's message; −3 B). Registration only:
//   no request runs any of it. Measured: 19,749 / 16,970 / 9,219 (gzip 8,301 / 7,444 / 4,475).
// - 2026-12-02: lowered by 40/45/40 B (all adapters 19,750 → 19,710, gzip 8,305 → 8,290; pinned 16,975 → 16,930,
//   gzip 7,450 → 7,435; router alone 9,220 → 9,180, gzip 4,480 → 4,460): HttpError's fields are declared only and
//   stored once in its constructor, with no class field definitions (each set to undefined first, then stored
//   again) to emit, compile and run. Measured: 19,705 / 16,926 / 9,175 (gzip 8,285 / 7,428 / 4,458).
// - 2026-12-02: raised by 30 B (all adapters 19,710 → 19,740, gzip 8,290 → 8,300; pinned 16,930 → 16,960, gzip
//   7,435 → 7,440; router alone unchanged): the unknown-event error read "(keys: )" for an event with no keys and
//   listed keys and sources without spaces ("alb,http-api-v2,…"), found by the user trial; it says "keys: none"
//   and joins both with ", ". Measured: 19,735 / 16,956 / 9,175 (gzip 8,294 / 7,437 / 4,458).
// - 2026-12-02: openapi() 10,950 → 11,250 (measured 11,219, was 10,942): a call a JavaScript caller got wrong is a
//   TypeError naming the argument (an app that is no router threw "app.routes is not a function", options without
//   info threw '"undefined" is not valid JSON'), found by a user trial. Apps that don't call openapi() carry none of it.
// - 2026-12-02: lowered by 10 B (all adapters 19,740 → 19,730; pinned 16,960 → 16,950): binary.ts's text-type
//   expression listed application/json and application/xml, which its `[/+](json|xml)` branch already matches.
//   Measured: 19,726 / 16,947 / 9,175 (gzip 8,293 / 7,435 / 4,456).
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { FEATURES, featureSource } from "../bench/marginal.ts";
import { bundleSize } from "../bench/size.ts";

const BUDGETS = [
  { name: "reference app, all four adapters", file: "bench/apps/lambdalith.ts", min: 19_730, gzip: 8_300 },
  { name: "reference app, createHandler + httpApiV2", file: "bench/apps/lambdalith-pinned.ts", min: 16_950, gzip: 7_440 },
  { name: "router alone", contents: 'import { router } from "../src/index.ts"; export const app = router().get("/a/:b", () => 1);', min: 9_180, gzip: 4_460 },
] as const;

describe("bundle size budgets", () => {
  it.each(BUDGETS)("$name ≤ $min B minified, ≤ $gzip B gzip", async (b) => {
    const size = await bundleSize("file" in b ? { file: new URL(`../${b.file}`, import.meta.url).pathname } : { contents: b.contents });
    expect(size.min).toBeLessThanOrEqual(b.min);
    expect(size.gzip).toBeLessThanOrEqual(b.gzip);
  });

  it("the built package, as a user's bundler sees it (dist/, its own package.json), is as small as the sources (was: 21.8 KB pinned, every adapter kept, for want of sideEffects there)", async () => {
    const app = (from: string) => `import { createHandler, httpApiV2, json, router } from "${from}";
      const app = router().get("/health", () => ({ status: "ok" })).get("/exams/:examId", (req) => ({ examId: req.params.examId, q: req.query["q"] ?? null })).post("/exams", (req) => json({ id: "exam-1", ...(req.json() as object) }, 201));
      export const handler = createHandler(app, { adapters: [httpApiV2] });`;
    // npm test builds dist/ first (build:lib).
    const built = await bundleSize({ contents: app("../dist/esm/index.js") });
    const sources = await bundleSize({ contents: app("../src/index.ts") });
    expect(Math.abs(built.min - sources.min)).toBeLessThanOrEqual(64);
    expect(built.min).toBeLessThanOrEqual(BUDGETS[1].min);
  });

  it("a pinned adapter really drops the others", async () => {
    const all = await bundleSize({ file: new URL("../bench/apps/lambdalith.ts", import.meta.url).pathname });
    const one = await bundleSize({ file: new URL("../bench/apps/lambdalith-pinned.ts", import.meta.url).pathname });
    expect(all.min - one.min).toBeGreaterThan(2_000);
  });
});

describe("openapi()", () => {
  it("adds ≤ 11,250 B to the pinned app that serves /openapi.json", async () => {
    const base = await bundleSize({ contents: featureSource(FEATURES[0]!) });
    const size = await bundleSize({ contents: featureSource(FEATURES.find((f) => f.name.startsWith("+ openapi()"))!) });
    expect(size.min - base.min).toBeLessThanOrEqual(11_250);
  });

  it("a handle(app) bundle carries none of it", async () => {
    const result = await build({ entryPoints: [new URL("../bench/apps/lambdalith.ts", import.meta.url).pathname], bundle: true, minify: true, format: "esm", platform: "node", target: "node20", write: false, logLevel: "silent" });
    const code = result.outputFiles[0]!.text;
    for (const name of ["3.1.0", "ValidationProblem", "draft-2020-12", "#/components/"]) expect(code).not.toContain(name);
  });
});

describe("opt-in adapters", () => {
  const base = () => bundleSize({ contents: featureSource(FEATURES[0]!) });
  it.each([
    { name: "vpcLattice", feature: "+ vpcLattice adapter (opt-in)", marginal: 1_760 },
    { name: "lambdaEdge", feature: "+ lambdaEdge adapter (opt-in)", marginal: 2_440 },
  ])("$name adds ≤ $marginal B to the pinned app", async ({ feature, marginal }) => {
    const size = await bundleSize({ contents: featureSource(FEATURES.find((f) => f.name === feature)!) });
    expect(size.min - (await base()).min).toBeLessThanOrEqual(marginal);
  });

  it("a handle(app) bundle carries neither", async () => {
    const result = await build({ entryPoints: [new URL("../bench/apps/lambdalith.ts", import.meta.url).pathname], bundle: true, minify: true, format: "esm", platform: "node", target: "node20", write: false, logLevel: "silent" });
    const code = result.outputFiles[0]!.text;
    for (const name of ["vpc-lattice", "lambda-edge", "serviceNetworkArn", "bodyEncoding"]) expect(code).not.toContain(name);
  });
});
