// ExamBuddy's response-streaming entry: the same app as index.ts, served by streamHandler. template.yaml
// deploys it as its own function (ExamBuddyStreamFunction) behind a REST API method with
// responseTransferMode STREAM, for the routes that stream (GET /exams/{examId}/results.csv).
import { streamHandler } from "lambdalith/stream";
import { app } from "./index.ts";

export const handler = streamHandler(app);
