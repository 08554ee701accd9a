// CSV for exports that people open in spreadsheets: RFC 4180 quoting, and no cell a spreadsheet would run
// as a formula (OWASP "CSV Injection").

/**
 * One cell. Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so a
 * spreadsheet shows it instead of evaluating it (`=HYPERLINK(…)`); text with a quote, comma, CR or LF is
 * quoted, its quotes doubled, and so is text with a semicolon or a tab: a spreadsheet whose locale separates
 * fields with `;` (or an import that splits on tabs too) would otherwise start a new cell there, and
 * `s;=1+1` would put a formula at that cell's start (OWASP "CSV Injection": mind the field separator).
 * Numbers are written as they are; undefined is an empty cell.
 * @example csvCell('=1+1') // "'=1+1"
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  // NUL too: OWASP lists it with = + - @ tab and CR as what a spreadsheet may read as a formula's start.
  const text = /^[=+\-@\t\r\0]/.test(value) ? "'" + value : value;
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One record, CRLF-terminated as RFC 4180 has it.
 * @example csvRow(["student", "score"]) // "student,score\r\n"
 */
export function csvRow(cells: ReadonlyArray<string | number | undefined>): string {
  return cells.map(csvCell).join(",") + "\r\n";
}
