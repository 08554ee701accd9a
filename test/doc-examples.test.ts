// The style rule says every public export has a short doc comment with a tiny @example. This holds it to
// that, and holds every example to the API as a user would paste it: it compiles under --strict against
// the published types and it runs. (Like readme-examples.test.ts; `npm run build:lib` builds dist/ first.)
//
// - Which exports: each entry of package.json "exports" (its dist/esm/X.d.ts is built from src/X.ts), walked
//   with the compiler API through its re-exports: the list comes from the code, not from this file. A
//   declaration two entries export is checked once, as part of the more specific entry (`stream` is
//   documented as lambdalith/stream's). Every one needs a doc comment and at least one @example.
// - Each @example is its own module in .local/ (inside the repository, so `lambdalith` resolves by its own
//   name, package.json "exports", to dist/esm), and one program type-checks them all (~1 s).
// - Imports are generated from the names an example uses without declaring them: each name an entry exports
//   is imported from the example's own entry if it has it, else from the first entry that does (types as
//   `type`). An example may import other packages itself (`import * as v from "valibot"`).
// - Givens: a free name listed in GIVENS (`app`, `req`, `event`, `context`, the schema `ExamInput`) is what a
//   reader takes as given: declared with its type for tsc, bound to a real value when the example runs. Any
//   other name an example uses must be declared in it. (Scopes are flattened: examples are tiny.)
// - Fragments: an example of an exported type that is a bare object literal `{ … }` is checked as
//   `const example: Type = ({ … })`, so a misspelled option fails. Code fences in an @example are ignored.
// - Running: each example is built with esbuild (importing dist/esm) and loaded once. It may throw an
//   HttpError (that is how a handler answers); anything else (a route the router refuses, a TypeError)
//   fails. A top-level line `expr // value`, whose comment is a plain value (a string, number, boolean,
//   null, undefined, or an object or array of those), claims what `expr` is: it must be, compared key by
//   key (prototypes aside). A comment in words (`// one test per source`) claims nothing.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { HttpError } from "lambdalith";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; exports: Record<string, string | { import?: { types?: string; default?: string } }> };

/** What a reader of an example takes as given: its type for tsc, a value of that type when it runs. */
const GIVENS: Record<string, { type: string; value: string }> = {
  app: { type: `import("lambdalith").Router`, value: `lambdalith.router()` },
  req: { type: `import("lambdalith").HttpRequest`, value: `lambdalith.createRequest({ method: "GET", path: "/exams/e-1", source: "test", requestId: "r-1" })` },
  event: { type: `unknown`, value: `lambdalith.createEvent("http-api-v2", { method: "GET", path: "/health" })` },
  context: { type: `import("lambdalith").LambdaContext`, value: `{ awsRequestId: "r-1" }` },
  // A schema from the reader's own library (valibot in the README) for `{ title: string }`.
  ExamInput: {
    type: `import("lambdalith").StandardSchemaV1<unknown, { title: string }>`,
    value: `{ "~standard": { version: 1, vendor: "doc-example", validate: (value: any) => (typeof value?.title === "string" ? { value } : { issues: [{ message: "Invalid type", path: ["title"] }] }) } }`,
  },
};

interface Entry {
  specifier: string; // "lambdalith", "lambdalith/stream"
  source: string; // absolute path of src/…/index.ts
  distJs: string; // absolute path of dist/esm/…/index.js
}

/** package.json "exports" → the source file each entry's published types are built from. */
const entries: Entry[] = Object.entries(pkg.exports)
  .filter(([key, target]) => typeof target === "object" && target.import?.types !== undefined && key !== "./package.json")
  .map(([key, target]) => {
    const { types, default: js } = (target as { import: { types: string; default: string } }).import;
    const fromDist = /^\.\/dist\/esm\/(.+)\.d\.ts$/.exec(types);
    if (!fromDist) throw new Error(`doc-examples: exports["${key}"] types ${types} are not under ./dist/esm`);
    return { specifier: pkg.name + key.slice(1), source: join(root, "src", `${fromDist[1]}.ts`), distJs: join(root, js) };
  });

interface Example {
  exportName: string;
  entry: Entry;
  file: string; // src file, relative
  line: number; // line of the example's first line in that file
  code: string;
  isType: boolean;
}

interface PublicExport {
  name: string;
  entry: Entry;
  file: string;
  line: number;
  isType: boolean;
  hasDoc: boolean;
  examples: Example[];
}

/** Every export of every entry, through re-exports; each declaration once, owned by the most specific entry. */
function publicExports(): { exports: PublicExport[]; exportedBy: Map<string, { entry: Entry; isType: boolean }[]> } {
  // Resolving exports needs the binder only: no lib, no @types.
  const program = ts.createProgram(
    entries.map((e) => e.source),
    { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, noLib: true, types: [] },
  );
  const checker = program.getTypeChecker();
  const byDeclaration = new Map<ts.Symbol, PublicExport>();
  const exportedBy = new Map<string, { entry: Entry; isType: boolean }[]>();
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(entry.source);
    const moduleSymbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) throw new Error(`doc-examples: cannot read the exports of ${entry.source}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const isType = (target.flags & ts.SymbolFlags.Value) === 0;
      exportedBy.set(exported.name, [...(exportedBy.get(exported.name) ?? []), { entry, isType }]);
      const declaration = target.declarations?.[0];
      if (!declaration) throw new Error(`doc-examples: ${exported.name} has no declaration`);
      const file = declaration.getSourceFile();
      const hasDoc = ts.displayPartsToString(target.getDocumentationComment(checker)).trim() !== "";
      const examples = (target.declarations ?? []).flatMap((d) =>
        ts.getJSDocTags(d).filter((tag) => tag.tagName.text === "example").map((tag) => exampleOf(tag, file, exported.name, entry, isType)),
      );
      const known = byDeclaration.get(target);
      // Entries are in package.json order, "." first: a later entry is the more specific home.
      if (known) Object.assign(known, { entry, examples: examples.map((e) => ({ ...e, entry })) });
      else byDeclaration.set(target, { name: exported.name, entry, file: relative(root, file.fileName), line: file.getLineAndCharacterOfPosition(declaration.getStart()).line + 1, isType, hasDoc, examples });
    }
  }
  return { exports: [...byDeclaration.values()], exportedBy };
}

/** An @example's code, with the source line of its first line (the tag's own line, or the next). */
function exampleOf(tag: ts.JSDocTag, file: ts.SourceFile, exportName: string, entry: Entry, isType: boolean): Example {
  const text = ts.getTextOfJSDocComment(tag.comment) ?? "";
  const lines = text.split("\n");
  // A fenced example keeps one line per source line: the fences become blank lines.
  const code = lines.map((l) => (/^\s*```/.test(l) ? "" : l)).join("\n");
  const tagLine = file.getLineAndCharacterOfPosition(tag.getStart()).line;
  const first = lines.find((l) => l.trim() !== "") ?? "";
  const sourceLines = file.text.split("\n");
  let line = tagLine;
  while (line < sourceLines.length - 1 && !sourceLines[line]!.includes(first.trim())) line++;
  line -= lines.indexOf(first); // back to the line of the example's first (maybe blank) line
  return { exportName, entry, file: relative(root, file.fileName), line: line + 1, code, isType };
}

/** The names an example uses without declaring them anywhere in it (scopes flattened: examples are tiny). */
function freeNames(code: string): Set<string> {
  const sourceFile = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isNameOf = (p: ts.Node & { name?: ts.Node }) => p.name === node;
      if (
        (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent) || ts.isClassExpression(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isTypeParameterDeclaration(parent) || ts.isEnumDeclaration(parent) || ts.isBindingElement(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent)) &&
        isNameOf(parent)
      ) {
        declared.add(node.text);
      } else if (
        !(ts.isPropertyAccessExpression(parent) && parent.name === node) &&
        !(ts.isQualifiedName(parent) && parent.right === node) &&
        !((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) && isNameOf(parent)) &&
        !(ts.isBindingElement(parent) && parent.propertyName === node) &&
        !(ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) &&
        !(ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent))
      ) {
        used.add(node.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return new Set([...used].filter((n) => !declared.has(n)));
}

const { exports: publicApi, exportedBy } = publicExports();
const examples = publicApi.flatMap((e) => e.examples);
const dir = join(root, ".local", `doc-examples-${process.pid}`);
const fileOf = (example: Example, index: number) => `${index}-${example.exportName}`;

/** Whether a comment is a plain value: a string, number, boolean, null, undefined, or an object or array of those. */
function isValue(text: string): boolean {
  const sourceFile = ts.createSourceFile("claim.ts", `(${text})`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const [statement, ...rest] = sourceFile.statements;
  if (!statement || rest.length > 0 || !ts.isExpressionStatement(statement) || !ts.isParenthesizedExpression(statement.expression)) return false;
  if (statement.expression.end !== sourceFile.text.length) return false;
  const plain = (node: ts.Expression): boolean =>
    ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node) ||
    (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) ||
    [ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(node.kind) ||
    (ts.isIdentifier(node) && node.text === "undefined") ||
    (ts.isArrayLiteralExpression(node) && node.elements.every(plain)) ||
    (ts.isObjectLiteralExpression(node) && node.properties.every((p) => ts.isPropertyAssignment(p) && plain(p.initializer)));
  return plain(statement.expression.expression);
}

/** `expr // value` as a top-level line claims what expr is: when the example runs, it must be (`__claim`). */
function withClaims(code: string, example: Example): string {
  const sourceFile = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let out = code;
  for (const statement of [...sourceFile.statements].reverse()) {
    if (!ts.isExpressionStatement(statement)) continue;
    const comment = ts.getTrailingCommentRanges(code, statement.end)?.[0];
    const claim = comment?.kind === ts.SyntaxKind.SingleLineCommentTrivia ? code.slice(comment.pos + 2, comment.end).trim() : "";
    if (!isValue(claim)) continue;
    const where = `${example.file}:${example.line + sourceFile.getLineAndCharacterOfPosition(statement.getStart()).line}`;
    out = out.slice(0, statement.getStart()) + `__claim(${statement.expression.getText()}, ${claim}, ${JSON.stringify(where)});` + out.slice(statement.end);
  }
  return out;
}

// Loose on prototypes (parseCookies returns a null-prototype object), strict on values and keys.
const CLAIM = `const __same = (a: any, b: any): boolean => a === b || (typeof a === "object" && a !== null && typeof b === "object" && b !== null && Object.keys(a).length === Object.keys(b).length && Object.keys(b).every((k) => __same(a[k], b[k])));
const __claim = (actual: unknown, claimed: unknown, where: string) => { if (!__same(actual, claimed)) throw new Error(\`\${where}: the example says \${JSON.stringify(claimed)}, it is \${JSON.stringify(actual)}\`); };`;

/** The example as a module: its imports, its givens (declared, or with values when it runs), its code. */
function moduleOf(example: Example, run: boolean): { text: string; header: number } {
  // An object literal on a type shows its options: check it as a value of that type.
  const wrapped = example.isType && example.code.trimStart().startsWith("{");
  const code = wrapped ? `const example: ${example.exportName} = (\n${example.code}\n);` : example.code;
  const imports = new Map<string, string[]>();
  const givens: string[] = [];
  for (const name of freeNames(code)) {
    const from = exportedBy.get(name);
    if (from) {
      const home = from.find((f) => f.entry === example.entry) ?? from[0]!;
      imports.set(home.entry.specifier, [...(imports.get(home.entry.specifier) ?? []), home.isType ? `type ${name}` : name]);
    } else if (GIVENS[name]) {
      givens.push(run ? `const ${name} = ${GIVENS[name].value};` : `declare const ${name}: ${GIVENS[name].type};`);
    }
  }
  const header = [
    `// ${example.file}:${example.line} (${example.exportName})`,
    ...[...imports].map(([specifier, names]) => `import { ${names.join(", ")} } from "${specifier}";`),
    ...(run && givens.length > 0 ? [`import * as lambdalith from "lambdalith";`] : []),
    ...(run ? [CLAIM] : []),
    ...givens,
  ];
  // A wrapped example's first line is one below its wrapper's.
  return { text: [...header, run ? withClaims(code, example) : code, "export {};", ""].join("\n"), header: header.length + (wrapped ? 1 : 0) };
}

describe("doc comment examples of the public API", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the public API through package.json exports", () => {
    expect(entries.map((e) => e.specifier)).toEqual(expect.arrayContaining(["lambdalith", "lambdalith/stream"]));
    expect(publicApi.map((e) => e.name)).toEqual(expect.arrayContaining(["router", "handle", "json", "HttpError", "streamHandler", "formatEvent", "HttpRequest"]));
  });

  it("every export has a doc comment with an @example", () => {
    const missing = publicApi
      .map((e) => ({ ...e, problem: !e.hasDoc ? "no doc comment" : e.examples.length === 0 ? "no @example" : e.examples.some((x) => x.code.trim() === "") ? "an empty @example" : "" }))
      .filter((e) => e.problem !== "")
      .map((e) => `${e.name} (${e.entry.specifier}, ${e.file}:${e.line}): ${e.problem}`);
    expect(missing, `exports without a doc comment or an @example:\n${missing.join("\n")}`).toEqual([]);
  });

  it("every example compiles under --strict against the published types", () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const headers = new Map<string, { example: Example; header: number }>();
    const files = examples.map((example, index) => {
      const file = join(dir, `${fileOf(example, index)}.ts`);
      const { text, header } = moduleOf(example, false);
      writeFileSync(file, text);
      headers.set(file, { example, header });
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    // 4-json.ts(5,3): … → src/lib/response.ts:46 (json): …
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const at = d.file && headers.get(d.file.fileName);
      if (!d.file || !at) return `TS${d.code}: ${message}`;
      const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line - at.header;
      return `${at.example.file}:${at.example.line + Math.max(line, 0)} (${at.example.exportName} @example): TS${d.code}: ${message}`;
    });
    expect(errors).toEqual([]);
  }, 60_000);

  it("every example runs against dist/esm (built with esbuild); only an HttpError may escape", async () => {
    mkdirSync(dir, { recursive: true });
    const sources = examples.map((example, index) => ({ example, name: fileOf(example, index), text: moduleOf(example, true).text }));
    const dist = new Map(entries.map((e) => [e.specifier, e.distJs]));
    const failures: string[] = [];
    // One build per example, side by side: a syntax error in one is reported as its own failure.
    const built = await Promise.all(
      sources.map(({ example, name, text }) =>
        build({
          stdin: { contents: text, loader: "ts", resolveDir: root, sourcefile: "@example" },
          bundle: true,
          format: "esm",
          platform: "node",
          outfile: join(dir, `${name}.mjs`),
          logLevel: "silent",
          // dist/esm itself, not a copy per example: loaded once for all of them.
          plugins: [{ name: "lambdalith-dist", setup: (b) => b.onResolve({ filter: /^lambdalith(\/|$)/ }, (args) => (dist.has(args.path) ? { path: pathToFileURL(dist.get(args.path)!).href, external: true } : undefined)) }],
        }).then(
          () => true,
          (err: Error) => (failures.push(`${example.file}:${example.line} (${example.exportName} @example): ${err.message.split("\n").slice(0, 3).join(" ")}`), false),
        ),
      ),
    );
    for (const [i, { example, name }] of sources.entries()) {
      if (!built[i]) continue;
      try {
        await import(pathToFileURL(join(dir, `${name}.mjs`)).href);
      } catch (err) {
        if (!(err instanceof HttpError)) failures.push(`${example.file}:${example.line} (${example.exportName} @example): ${String(err)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
