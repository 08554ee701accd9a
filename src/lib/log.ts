/**
 * Writes one JSON line to stdout: CloudWatch Logs indexes each line as one structured event. An error
 * given is logged with its name, message and stack (never sent to a client); an entry that cannot be
 * serialized (a BigInt, a cycle) is logged as its level and message.
 * @example logJson({ level: "error", message: "grading failed", requestId: req.requestId }, new Error("timeout"))
 */
export function logJson(entry: Record<string, unknown>, error?: unknown): void {
  if (error !== undefined) {
    const known = error instanceof Error;
    entry = { ...entry, errorName: known ? error.name : typeof error, errorMessage: known ? error.message : String(error), stack: known ? error.stack : undefined };
  }
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ level: entry["level"], message: String(entry["message"]), unserializable: true });
  }
  process.stdout.write(line + "\n");
}
