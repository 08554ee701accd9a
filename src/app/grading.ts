// Server-side grading and the student's view of questions. Pure functions: no I/O.
import { normalizeText, type AnswerValue } from "./schemas.ts";
import type { AttemptResult, Question } from "./store/types.ts";

/** Whether one answer is right: all-or-nothing per question. */
export function isCorrect(question: Question, answer: AnswerValue | undefined): boolean {
  if (answer === undefined) return false;
  switch (question.kind) {
    case "single":
      return answer === question.correct;
    case "multiple": {
      if (!Array.isArray(answer) || answer.length !== question.correct.length) return false;
      const want = new Set(question.correct);
      return answer.every((i) => want.has(i)) && new Set(answer).size === answer.length;
    }
    case "text":
      return typeof answer === "string" && question.accepted.some((a) => normalizeText(a) === normalizeText(answer));
  }
}

export function grade(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): AttemptResult {
  let score = 0;
  let maxScore = 0;
  const results = questions.map((q) => {
    const correct = isCorrect(q, answers[q.questionId]);
    const earned = correct ? q.points : 0;
    score += earned;
    maxScore += q.points;
    return { questionId: q.questionId, points: q.points, earned, correct };
  });
  return { score, maxScore, questions: results };
}

/**
 * Problems with an answer sheet for these questions (unknown question, wrong shape for the kind, choice out
 * of range), as router-style validation errors; empty when the sheet is fine.
 */
export function checkAnswers(questions: readonly Question[], answers: Readonly<Record<string, AnswerValue>>): { path: string; message: string }[] {
  const byId = new Map(questions.map((q) => [q.questionId, q]));
  const errors: { path: string; message: string }[] = [];
  for (const [id, answer] of Object.entries(answers)) {
    const path = `body.answers.${id}`;
    const q = byId.get(id);
    if (!q) {
      errors.push({ path, message: "No such question in this exam" });
    } else if (q.kind === "single") {
      if (typeof answer !== "number" || answer >= q.choices.length) errors.push({ path, message: `Must be a choice index from 0 to ${q.choices.length - 1}` });
    } else if (q.kind === "multiple") {
      if (!Array.isArray(answer) || answer.some((i) => i >= q.choices.length)) errors.push({ path, message: `Must be a list of choice indexes from 0 to ${q.choices.length - 1}` });
    } else if (typeof answer !== "string") {
      errors.push({ path, message: "Must be text" });
    }
  }
  return errors;
}

/** What a student may see of a question: never `correct` or `accepted`. */
export type PublicQuestion = Pick<Question, "questionId" | "examId" | "kind" | "text" | "points" | "position"> & { choices?: string[] };

export function publicQuestion(q: Question): PublicQuestion {
  const out: PublicQuestion = { questionId: q.questionId, examId: q.examId, kind: q.kind, text: q.text, points: q.points, position: q.position };
  if (q.kind !== "text") out.choices = q.choices;
  return out;
}
