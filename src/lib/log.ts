/**
 * Writes one JSON line to stdout: CloudWatch Logs indexes each line as one structured event. An error
 * given is logged with its name, message and stack (never sent to a client), one that cannot be read is left
 * out; an entry that cannot be serialized (a BigInt, a cycle) is logged as its level and message.
 * @example logJson({ level: "error", message: "grading failed", requestId: req.requestId }, new Error("timeout"))
 */
export function logJson(entry: Record<string, unknown>, error?: unknown): void {
  if (error !== undefined) {
    try {
      const known = error instanceof Error;
      entry = { ...entry, errorName: known ? error.name : typeof error, errorMessage: known ? error.message : String(error), stack: known ? error.stack : undefined };
    } catch {
      // A thrown value that cannot be read (a null-prototype object, a throwing toString or getter, a Proxy):
      // the line still goes out with the entry's fields (the request id), without the error's.
    }
  }
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ level: entry["level"], message: String(entry["message"]), unserializable: true });
  }
  process.stdout.write(line + "\n");
}
