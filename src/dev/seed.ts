// npm run seed: a demo teacher, a published exam with one question of each kind, and a student, loaded through
// the API itself (the same validation and rules as any client). Run it against `npm start` in another
// terminal (`--port`/`--url` pick the server; `--help`), or use `npm start -- --seed`.
import { pathToFileURL } from "node:url";
import { CliError, fail, parseCli } from "./cli.ts";

export const DEMO = { teacher: "Bearer dev.teacher.demo-teacher", student: "Bearer dev.student.demo-student", title: "Demo: world capitals" } as const;

async function call(base: string, method: string, path: string, auth: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let data: any;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    throw new CliError(`${base} answered ${method} ${path} with ${res.status} and no JSON: is it ExamBuddy? Point --port/--url at a running npm start`);
  }
  if (!res.ok) {
    const hint = res.status === 401 ? " (is that server running with --source url? A Function URL carries no sign-in: seed one started with --source http)" : "";
    throw new Error(`${method} ${path} → ${res.status}: ${text}${hint}`);
  }
  return data;
}

/**
 * Loads the demo data unless the demo exam is already there; returns a one-line summary.
 * @example await seed("http://127.0.0.1:3000")
 */
export async function seed(base: string): Promise<string> {
  await call(base, "GET", "/me", DEMO.teacher);
  await call(base, "PATCH", "/me", DEMO.teacher, { displayName: "Demo Teacher" });
  await call(base, "GET", "/me", DEMO.student);
  await call(base, "PATCH", "/me", DEMO.student, { displayName: "Demo Student" });
  const existing = await call(base, "GET", "/exams?status=published&limit=100", DEMO.teacher);
  if (!Array.isArray(existing?.items)) throw new CliError(`${base} answered GET /exams without a list of exams: is it ExamBuddy? Point --port/--url at a running npm start`);
  const found = existing.items.find((e: { title: string }) => e.title === DEMO.title);
  if (found) return `demo exam ${found.examId} already present (teacher demo-teacher, student demo-student)`;

  const exam = await call(base, "POST", "/exams", DEMO.teacher, { title: DEMO.title, description: "One question of each kind.", durationMinutes: 30 });
  const q = (body: unknown) => call(base, "POST", `/exams/${exam.examId}/questions`, DEMO.teacher, body);
  await q({ kind: "single", text: "What is the capital of France?", choices: ["Lyon", "Paris", "Nice"], correct: 1, points: 1 });
  await q({ kind: "multiple", text: "Which of these are capitals?", choices: ["Berlin", "Munich", "Rome", "Milan"], correct: [0, 2], points: 2 });
  await q({ kind: "text", text: "The capital of Japan?", accepted: ["Tokyo", "Tōkyō"], points: 3 });
  // Each question was a new version of the exam: publish the one just reviewed.
  const reviewed = await call(base, "GET", `/exams/${exam.examId}`, DEMO.teacher);
  const published = await call(base, "POST", `/exams/${exam.examId}/publish`, DEMO.teacher, undefined, { "if-match": `"${reviewed.version}"` });
  return `published exam ${published.examId} "${DEMO.title}" with 3 questions; teacher token '${DEMO.teacher}', student token '${DEMO.student}'`;
}

const HELP = `
npm run seed -- [options]   loads the demo data through the API of a running npm start

  --port N     the server on http://127.0.0.1:N (default 3000)
  --url URL    any server, e.g. http://127.0.0.1:3001 (instead of --port)
  -h, --help   this text

Loads a teacher ('${DEMO.teacher}'), a student ('${DEMO.student}')
and a published exam "${DEMO.title}" with one question of each kind. A second run finds
the exam and changes nothing.
`;

async function main(): Promise<void> {
  const { values } = parseCli("npm run seed", HELP, { port: { type: "string" }, url: { type: "string" } });
  if (values.port !== undefined && values.url !== undefined) throw new CliError("give --port or --url, not both", 2);
  if (values.port !== undefined && (!/^\d+$/.test(values.port) || Number(values.port) < 1 || Number(values.port) > 65535)) throw new CliError(`--port must be a port number (1–65535); got "${values.port}"`, 2);
  const base = (values.url ?? `http://127.0.0.1:${values.port ?? 3000}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(base)) throw new CliError(`--url must be a server's base URL like http://127.0.0.1:3000; got "${values.url}"`, 2);
  const summary = await seed(base).catch((err: Error & { cause?: { code?: string } }) => {
    // fetch reports a refused connection as "fetch failed" with the reason in `cause`.
    if (err.message === "fetch failed") throw new CliError(`no server answers at ${base} (${err.cause?.code ?? "unreachable"}); start one with npm start, or point --port/--url at yours`);
    throw err;
  });
  console.log(summary);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main().catch((err) => fail("npm run seed", err));
