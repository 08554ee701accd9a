// Issue 11, finding 5, the races: publish against a question write or a file completion, retried POSTs
// (Idempotency-Key), retakes (maxAttempts). Races are made deterministic by holding one DynamoDB write
// (test-api.ts hold()) while the other request runs to its end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, otherStudent, pdfBytes, question, student, teacher, type TestApi } from "./test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi("races");
});
afterAll(() => api.drop());

const isQuestionItem = (input: any, version: number) => typeof input.Item?.SK === "string" && input.Item.SK.startsWith("Q#") && input.Item.version === version;

async function draftWithQuestion(): Promise<{ examId: string; questionId: string }> {
  const { examId } = await api.draft("Race");
  const questionId = (await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: { kind: "single", text: "Q", choices: ["a", "b", "c"], correct: 0 } })).body.questionId;
  return { examId, questionId };
}

const studentView = async (examId: string) => (await api.call("GET", `/exams/${examId}/questions`, { as: student })).body.items;
const keyView = async (examId: string) => (await api.call("GET", `/exams/${examId}/questions`, { as: teacher })).body.items;

describe("issue 11, finding 5: publish against a question write", () => {
  it("a PATCH admitted before publish but written after it is refused; the published key is unchanged", async () => {
    const { examId, questionId } = await draftWithQuestion();
    const gate = api.hold((op, input) => op === "put" && isQuestionItem(input, 2));
    const patch = api.call("PATCH", `/exams/${examId}/questions/${questionId}`, { as: teacher, body: { correct: 2 } });
    await gate.reached; // admitted by the draft exam, its write not yet sent
    const publish = await api.call("POST", `/exams/${examId}/publish`, { as: teacher });
    expect(publish.status).toBe(200);
    gate.release();
    expect(await patch).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:read-only" } });
    const [q] = await keyView(examId);
    expect(q).toMatchObject({ correct: 0, version: 1 });
    expect(q.updatedAt <= publish.body.publishedAt).toBe(true);
  });

  it("a question added before publish but written after it is taken back; the exam keeps what was sealed", async () => {
    const { examId, questionId } = await draftWithQuestion();
    const gate = api.hold((op, input) => op === "put" && isQuestionItem(input, 1));
    const add = api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(7) });
    await gate.reached;
    const publish = await api.call("POST", `/exams/${examId}/publish`, { as: teacher });
    expect(publish).toMatchObject({ status: 200, body: { questionCount: 1 } });
    gate.release();
    expect((await add).status).toBe(409);
    expect((await studentView(examId)).map((q: any) => q.questionId)).toEqual([questionId]);
    expect((await keyView(examId)).map((q: any) => q.questionId)).toEqual([questionId]);
  });

  it("40 parallel PATCH/publish pairs: the key never changes once publish has answered", async () => {
    const outcomes = { patched: 0, refused: 0 };
    for (let trial = 0; trial < 40; trial++) {
      const { examId, questionId } = await draftWithQuestion();
      // The key as read the moment publish answers, while the PATCH may still be in flight …
      const [patch, published] = await Promise.all([
        api.call("PATCH", `/exams/${examId}/questions/${questionId}`, { as: teacher, body: { correct: 2 } }),
        api.call("POST", `/exams/${examId}/publish`, { as: teacher }).then(async (res) => ({ res, key: (await keyView(examId))[0].correct })),
      ]);
      expect(published.res.status, `trial ${trial}`).toBe(200);
      // … is the key once both are done: a PATCH either landed before the publish sealed it, or not at all.
      const [q] = await keyView(examId);
      expect(q.correct, `trial ${trial}`).toBe(published.key);
      if (patch.status === 200) {
        outcomes.patched++;
        expect(q.correct, `trial ${trial}`).toBe(2);
      } else {
        outcomes.refused++;
        expect(patch.status, `trial ${trial}`).toBe(409);
        expect(q.correct, `trial ${trial}`).toBe(0);
      }
    }
    expect(outcomes.patched + outcomes.refused).toBe(40);
  }, 60_000);
});

describe("issue 11, finding 5: files and publishing", () => {
  async function pendingFile(examId: string): Promise<string> {
    const bytes = pdfBytes();
    const res = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: { fileName: "notes.pdf", contentType: "application/pdf", size: bytes.length } });
    expect(res.status).toBe(201);
    expect((await fetch(res.body.upload.url, { method: "PUT", headers: res.body.upload.headers, body: bytes })).status).toBe(200);
    return res.body.file.fileId;
  }

  it("a file recorded while a draft can't be completed after publishing", async () => {
    const { examId } = await draftWithQuestion();
    const fileId = await pendingFile(examId);
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    const done = await api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    expect(done).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:read-only" } });
    expect((await api.call("GET", `/exams/${examId}/files`, { as: student })).body.items).toEqual([]);
  });

  it("a completion that checked the draft but writes after the publish sealed the record is refused", async () => {
    const { examId } = await draftWithQuestion();
    const fileId = await pendingFile(examId);
    const gate = api.hold((op, input) => op === "update" && input.Key?.SK === `FILE#${fileId}` && input.ExpressionAttributeValues?.[":ready"] === "ready");
    const complete = api.call("POST", `/exams/${examId}/files/${fileId}/complete`, { as: teacher });
    await gate.reached;
    expect((await api.call("POST", `/exams/${examId}/publish`, { as: teacher })).status).toBe(200);
    gate.release();
    expect((await complete).status).toBe(409);
    const [file] = (await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items;
    expect(file).toMatchObject({ fileId, status: "pending" });
  });
});

describe("issue 11, finding 5: Idempotency-Key on creating POSTs", () => {
  const post = (key: string, title: string, as = teacher) =>
    api.call("POST", "/exams", { as, body: { title, durationMinutes: 10 }, headers: { "idempotency-key": key } });
  const titles = async (as = teacher) => {
    const items: any[] = (await api.call("GET", "/exams?limit=100&status=draft", { as })).body.items;
    return items.map((e) => e.title);
  };

  it("a retried POST returns the first answer and creates nothing more", async () => {
    const key = `k-${Date.now()}-1`;
    const first = await post(key, "Once");
    expect(first.status).toBe(201);
    const again = await post(key, "Once");
    expect(again).toMatchObject({ status: 201, body: first.body, headers: { location: first.headers["location"], etag: first.headers["etag"], "idempotent-replayed": "true" } });
    expect((await titles()).filter((t) => t === "Once")).toHaveLength(1);
    // The same key with another body is a 422; another user's same key is theirs alone.
    expect((await post(key, "Twice")).status).toBe(422);
    const other = { sub: "t-idem", "cognito:groups": "[teacher]" };
    expect((await post(key, "Theirs", other)).status).toBe(201);
    // A malformed key is a 400.
    expect((await post("bad key with spaces", "X")).status).toBe(400);
  });

  it("a retry while the first still runs is a 409 with Retry-After; a 5xx gives the key back", async () => {
    const key = `k-${Date.now()}-2`;
    const gate = api.hold((op, input) => op === "put" && input.Item?.type === "exam" && input.Item?.title === "Slow");
    const first = post(key, "Slow");
    await gate.reached;
    const during = await post(key, "Slow");
    expect(during).toMatchObject({ status: 409, headers: { "retry-after": "1" } });
    gate.release();
    expect((await first).status).toBe(201);

    const failKey = `k-${Date.now()}-3`;
    const failing = api.hold((op, input) => op === "put" && input.Item?.type === "exam" && input.Item?.title === "Flaky");
    const broken = post(failKey, "Flaky");
    await failing.reached;
    // Make the held write fail like a backing-service error: the response is a 502 and the key is released.
    const db = api.db as any;
    const original = db.put;
    db.put = () => Promise.reject(Object.assign(new Error("boom"), { name: "InternalServerError", $metadata: { httpStatusCode: 500 } }));
    failing.release();
    expect((await broken).status).toBe(502);
    db.put = original;
    expect((await post(failKey, "Flaky")).status).toBe(201);
  });

  it("questions and file uploads take it too", async () => {
    const { examId } = await draftWithQuestion();
    const headers = { "idempotency-key": `q-${examId}` };
    const a = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(2), headers });
    const b = await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(2), headers });
    expect(b.body.questionId).toBe(a.body.questionId);
    expect(await keyView(examId)).toHaveLength(2);
    const upload = { fileName: "a.pdf", contentType: "application/pdf", size: 10 };
    const f1 = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: upload, headers: { "idempotency-key": `f-${examId}` } });
    const f2 = await api.call("POST", `/exams/${examId}/files`, { as: teacher, body: upload, headers: { "idempotency-key": `f-${examId}` } });
    expect(f2.body.file.fileId).toBe(f1.body.file.fileId);
    expect((await api.call("GET", `/exams/${examId}/files`, { as: teacher })).body.items).toHaveLength(1);
  });
});

describe("issue 11, finding 5: maxAttempts (default 1) ends answer-key discovery by retakes", () => {
  async function publish(maxAttempts?: number): Promise<string> {
    const body = { title: "Tries", durationMinutes: 30, ...(maxAttempts === undefined ? {} : { maxAttempts }) };
    const examId = (await api.call("POST", "/exams", { as: teacher, body })).body.examId;
    await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) });
    const res = await api.call("POST", `/exams/${examId}/publish`, { as: teacher });
    expect(res.body.maxAttempts).toBe(maxAttempts ?? 1);
    return examId;
  }
  const take = async (examId: string, as = student) => {
    const start = await api.call("POST", `/exams/${examId}/attempts`, { as });
    if (start.status === 201) expect((await api.call("POST", `/attempts/${start.body.attemptId}/submit`, { as })).status).toBe(200);
    return start;
  };

  it("one attempt by default; the exam says how many; parallel starts can't exceed it", async () => {
    const once = await publish();
    expect((await take(once)).status).toBe(201);
    expect(await take(once)).toMatchObject({ status: 409, body: { type: "tag:exambuddy,2026:no-attempts-left", maxAttempts: 1 } });
    // Students see the limit before they start.
    expect((await api.call("GET", `/exams/${once}`, { as: student })).body.maxAttempts).toBe(1);

    const thrice = await publish(3);
    for (let i = 0; i < 3; i++) expect((await take(thrice)).status).toBe(201);
    expect((await take(thrice)).status).toBe(409);

    const twice = await publish(2);
    const parallel = await Promise.all([1, 2, 3, 4].map(() => api.call("POST", `/exams/${twice}/attempts`, { as: otherStudent })));
    expect(parallel.filter((r) => r.status === 201)).toHaveLength(1); // one open at a time
    const open = parallel.find((r) => r.status === 201)!.body.attemptId;
    await api.call("POST", `/attempts/${open}/submit`, { as: otherStudent });
    const second = await Promise.all([1, 2, 3].map(() => api.call("POST", `/exams/${twice}/attempts`, { as: otherStudent })));
    expect(second.filter((r) => r.status === 201)).toHaveLength(1);
    const last = second.find((r) => r.status === 201)!.body.attemptId;
    await api.call("POST", `/attempts/${last}/submit`, { as: otherStudent });
    expect((await api.call("POST", `/exams/${twice}/attempts`, { as: otherStudent })).status).toBe(409);
  });
});

describe("questions: concurrent deletes and conditional edits", () => {
  it("two DELETEs of one question count it down once, and only after it is gone: never a count below the questions stored (was: both counted down first, letting a 101st question in)", async () => {
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Deletes", durationMinutes: 5 } })).body.examId;
    const questionId = (await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(1) })).body.questionId;
    await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: question(2) });
    const isTheDelete = (op: string, input: any) => op === "delete" && input.Key?.SK === `Q#${questionId}`;
    const first = api.hold(isTheDelete);
    const second = api.hold(isTheDelete);
    const a = api.call("DELETE", `/exams/${examId}/questions/${questionId}`, { as: teacher });
    const b = api.call("DELETE", `/exams/${examId}/questions/${questionId}`, { as: teacher });
    await first.reached;
    await second.reached;
    // Both admitted, neither deleted: the count still matches the two questions stored.
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body.questionCount).toBe(2);
    first.release();
    second.release();
    expect([(await a).status, (await b).status].sort()).toEqual([204, 404]);
    expect((await api.call("GET", `/exams/${examId}`, { as: teacher })).body.questionCount).toBe(1);
  });

  it("DELETE honours If-Match (a stale version is a 412, a malformed one a 422); PATCH refuses a field of another kind instead of dropping it (was: 204 whatever the version; 200 with the edit lost)", async () => {
    const examId = (await api.call("POST", "/exams", { as: teacher, body: { title: "Conditional", durationMinutes: 5 } })).body.examId;
    const q = (await api.call("POST", `/exams/${examId}/questions`, { as: teacher, body: { kind: "text", text: "Capital?", points: 1, accepted: ["paris"] } })).body;
    const foreign = await api.call("PATCH", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, body: { choices: ["Paris", "Lyon"], correct: 0, version: 1 } });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.choices", "body.correct"]);
    expect((await api.call("PATCH", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, body: { text: "Capital of France?" }, headers: { "if-match": '"1"' } })).status).toBe(200);
    expect((await api.call("DELETE", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, headers: { "if-match": '"1"' } })).status).toBe(412);
    for (const malformed of ['"1', '2"', "W/3", "not an etag"]) {
      expect((await api.call("DELETE", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, headers: { "if-match": malformed } })).status, malformed).toBe(422);
    }
    expect((await api.call("DELETE", `/exams/${examId}/questions/${q.questionId}`, { as: teacher, headers: { "if-match": '"2"' } })).status).toBe(204);
  });
});
