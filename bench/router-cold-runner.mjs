// One cold run of the router group: node is already up; time importing a router bundle, building the 12
// routes and matching one request. Prints one JSON line.
const [bundle, method, path, expected] = process.argv.slice(2);
const t0 = performance.now();
const { coldRun } = await import(bundle);
const got = coldRun(method, path);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, ok: (got ?? "") === expected }) + "\n");
