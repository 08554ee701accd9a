// The router core (router + matcher), for size measurement and for the benchmark. The package entry
// (src/index.ts) re-exports router, cors and compress; cors and compress are separate modules (tree-shaken).
export { router } from "./router.ts";
export { createMatcher, addRoute, findRoute, allowedMethods, type Matcher, type Match } from "./match.ts";
