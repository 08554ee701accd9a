/**
 * Writes one JSON line to stdout: CloudWatch Logs indexes each line as one structured event.
 * @example logJson({ level: "error", message: "boom", requestId })
 */
export function logJson(entry: Record<string, unknown>): void {
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ level: entry["level"], message: String(entry["message"]), unserializable: true });
  }
  process.stdout.write(line + "\n");
}

/**
 * The loggable parts of anything thrown: name, message and stack (never sent to a client).
 * @example logJson({ level: "error", ...errorFields(err) })
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { errorName: err.name, errorMessage: err.message, stack: err.stack };
  return { errorName: typeof err, errorMessage: String(err) };
}
