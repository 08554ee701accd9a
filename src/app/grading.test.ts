import { describe, expect, it } from "vitest";
import { checkAnswers, grade, publicQuestion } from "./grading.ts";
import type { Question } from "./store/types.ts";

const base = { examId: "E", version: 1, createdAt: "t", updatedAt: "t" };
const questions: Question[] = [
  { ...base, questionId: "Q1", position: 1, kind: "single", text: "2+2", points: 1, choices: ["3", "4"], correct: 1 },
  { ...base, questionId: "Q2", position: 2, kind: "multiple", text: "primes", points: 2, choices: ["2", "4", "5"], correct: [0, 2] },
  { ...base, questionId: "Q3", position: 3, kind: "text", text: "capital", points: 3, accepted: ["Paris", "Paris, France"] },
];

describe("grading", () => {
  it("scores all-or-nothing per question; text is case- and space-insensitive", () => {
    expect(grade(questions, { Q1: 1, Q2: [2, 0], Q3: "  paris " })).toEqual({
      score: 6,
      maxScore: 6,
      questions: [
        { questionId: "Q1", points: 1, earned: 1, correct: true },
        { questionId: "Q2", points: 2, earned: 2, correct: true },
        { questionId: "Q3", points: 3, earned: 3, correct: true },
      ],
    });
    expect(grade(questions, { Q1: 0, Q2: [0], Q3: "paris,   FRANCE" }).score).toBe(3);
    expect(grade(questions, {}).score).toBe(0);
    expect(grade(questions, { Q1: [1] as unknown as number, Q3: 3 as unknown as string }).score).toBe(0);
  });

  it("text case-insensitivity folds ß to ss: \"STRASSE\" answers \"Straße\" (was: marked wrong)", () => {
    const street: Question[] = [{ ...base, questionId: "Q4", position: 4, kind: "text", text: "street", points: 1, accepted: ["Straße"] }];
    for (const answer of ["STRASSE", "strasse", "Straße", "STRAẞE"]) expect(grade(street, { Q4: answer }).score, answer).toBe(1);
    expect(grade(street, { Q4: "Strase" }).score).toBe(0);
  });

  it("text matches a visually identical answer whatever its Unicode form: NFD é, full-width letters, and a capital with no precomposed form (\"J̌\" answers \"ǰ\", \"Ϊ́\" answers \"ΐ\"; was: lower-casing after NFKC left them decomposed, marked wrong)", () => {
    const cases: Array<[accepted: string, answer: string]> = [
      ["café", "cafe\u0301"], // NFD, as some keyboards and macOS file names produce it
      ["Paris", "ＰＡＲＩＳ"], // full-width, from an East Asian input method
      ["ǰ", "J\u030C"], // U+01F0 has no capital: its upper case is J + combining caron
      ["πρωτεΐνη", "ΠΡΩΤΕΪ\u0301ΝΗ"], // ΐ (U+0390) in capitals is Ϊ + combining acute
      ["ὐ", "Υ\u0313"], // polytonic Greek: U+1F50 in capitals is Υ + combining comma above
    ];
    for (const [accepted, answer] of cases) {
      const q: Question[] = [{ ...base, questionId: "Q5", position: 5, kind: "text", text: "word", points: 1, accepted: [accepted] }];
      expect(grade(q, { Q5: answer }).score, `${JSON.stringify(answer)} for ${JSON.stringify(accepted)}`).toBe(1);
    }
  });

  it("checks an answer sheet against the exam's questions", () => {
    expect(checkAnswers(questions, { Q1: 1, Q2: [0], Q3: "x" })).toEqual([]);
    expect(checkAnswers(questions, { Q9: 1, Q1: 2, Q2: 1, Q3: [0] }).map((e) => e.path)).toEqual([
      "body.answers.Q9",
      "body.answers.Q1",
      "body.answers.Q2",
      "body.answers.Q3",
    ]);
  });

  it("never shows answer keys to students", () => {
    for (const q of questions) {
      const pub = publicQuestion(q);
      expect(pub).not.toHaveProperty("correct");
      expect(pub).not.toHaveProperty("accepted");
    }
    expect(publicQuestion(questions[0]!)).toEqual({ questionId: "Q1", examId: "E", kind: "single", text: "2+2", points: 1, position: 1, choices: ["3", "4"] });
  });
});
