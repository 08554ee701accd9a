import { build } from "esbuild";
const entry = process.argv[2];
const r = await build({ entryPoints:[entry], bundle:true, minify:true, format:"esm", platform:"node", target:"node20", write:false, metafile:true });
const out = Object.values(r.metafile.outputs)[0];
console.log("total", r.outputFiles[0].contents.length);
const rows = Object.entries(out.inputs).map(([k,v])=>[v.bytesInOutput,k]).sort((a,b)=>b[0]-a[0]);
for (const [b,k] of rows) console.log(String(b).padStart(6), k);
