// The store operations, loaded with import() on first use. esbuild puts ops.ts and the store modules in their
// own chunk, so a cold start reads and compiles less (bench: cold, ExamBuddy /health). Every operation is
// async already, so callers see no difference.
type Ops = typeof import("./ops.ts");
type AsyncFn = (...args: never[]) => Promise<unknown>;

let ops: Promise<Ops> | undefined;

function lazy<K extends keyof Ops>(name: K): Ops[K] {
  const call = async (...args: unknown[]) => {
    const loaded = await (ops ??= import("./ops.ts"));
    return (loaded[name] as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  return call as unknown as Ops[K] & AsyncFn;
}

export const createExam = lazy("createExam");
export const deleteExam = lazy("deleteExam");
export const getExam = lazy("getExam");
export const listPublishedExams = lazy("listPublishedExams");
export const listTeacherExams = lazy("listTeacherExams");
export const publishExam = lazy("publishExam");
export const updateExam = lazy("updateExam");
export const ensureUser = lazy("ensureUser");
export const updateUser = lazy("updateUser");
export const getAttempt = lazy("getAttempt");
export const gradeIfExpired = lazy("gradeIfExpired");
export const listExamAttempts = lazy("listExamAttempts");
export const saveAnswers = lazy("saveAnswers");
export const startAttempt = lazy("startAttempt");
export const submitAttempt = lazy("submitAttempt");
export const addQuestion = lazy("addQuestion");
export const deleteQuestion = lazy("deleteQuestion");
export const getQuestion = lazy("getQuestion");
export const listQuestions = lazy("listQuestions");
export const replaceQuestion = lazy("replaceQuestion");
export const createFileRecord = lazy("createFileRecord");
export const deleteFile = lazy("deleteFile");
export const getFileRecord = lazy("getFileRecord");
export const listFiles = lazy("listFiles");
export const markFileReady = lazy("markFileReady");
export const claimIdempotencyKey = lazy("claimIdempotencyKey");
export const completeIdempotencyKey = lazy("completeIdempotencyKey");
export const releaseIdempotencyKey = lazy("releaseIdempotencyKey");
