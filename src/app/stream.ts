// ExamBuddy's response-streaming entry: the same app as index.ts, served by streamHandler. template.yaml
// deploys it as its own function (ExamBuddyStreamFunction) behind a REST API method with
// responseTransferMode STREAM, for the routes that stream (GET /exams/{examId}/results.csv);
// `npm start -- --stream` serves it locally.
import { streamHandler } from "lambdalith/stream";
import { app } from "./index.ts";

export { app };
export const handler = streamHandler(app);
