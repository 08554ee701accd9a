// npm run seed: a demo teacher, a published exam with one question of each kind, and a student, loaded through
// the API itself (the same validation and rules as any client). Run it against `npm start` in another
// terminal, or use `npm start -- --seed`.
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

export const DEMO = { teacher: "Bearer dev.teacher.demo-teacher", student: "Bearer dev.student.demo-student", title: "Demo: world capitals" } as const;

async function call(base: string, method: string, path: string, auth: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
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
  const found = existing.items.find((e: { title: string }) => e.title === DEMO.title);
  if (found) return `demo exam ${found.examId} already present (teacher demo-teacher, student demo-student)`;

  const exam = await call(base, "POST", "/exams", DEMO.teacher, { title: DEMO.title, description: "One question of each kind.", durationMinutes: 30 });
  const q = (body: unknown) => call(base, "POST", `/exams/${exam.examId}/questions`, DEMO.teacher, body);
  await q({ kind: "single", text: "What is the capital of France?", choices: ["Lyon", "Paris", "Nice"], correct: 1, points: 1 });
  await q({ kind: "multiple", text: "Which of these are capitals?", choices: ["Berlin", "Munich", "Rome", "Milan"], correct: [0, 2], points: 2 });
  await q({ kind: "text", text: "The capital of Japan?", accepted: ["Tokyo", "Tōkyō"], points: 3 });
  const published = await call(base, "POST", `/exams/${exam.examId}/publish`, DEMO.teacher, undefined, { "if-match": `"${exam.version}"` });
  return `published exam ${published.examId} "${DEMO.title}" with 3 questions; teacher token '${DEMO.teacher}', student token '${DEMO.student}'`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { url: { type: "string", default: "http://127.0.0.1:3000" } } });
  console.log(await seed(values.url!));
}
