// CSV for exports that people open in spreadsheets: RFC 4180 quoting, and no cell a spreadsheet would run
// as a formula (OWASP "CSV Injection").

/**
 * One cell. Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so a
 * spreadsheet shows it instead of evaluating it (`=HYPERLINK(…)`); text with a quote, comma, CR or LF is
 * quoted, its quotes doubled. Numbers are written as they are; undefined is an empty cell.
 * @example csvCell('=1+1') // "'=1+1"
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  // NUL too: OWASP lists it with = + - @ tab and CR as what a spreadsheet may read as a formula's start.
  const text = /^[=+\-@\t\r\0]/.test(value) ? "'" + value : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One record, CRLF-terminated as RFC 4180 has it.
 * @example csvRow(["student", "score"]) // "student,score\r\n"
 */
export function csvRow(cells: ReadonlyArray<string | number | undefined>): string {
  return cells.map(csvCell).join(",") + "\r\n";
}
