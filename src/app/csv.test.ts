import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv.ts";

describe("CSV cells", () => {
  it("quotes cells with quotes, commas, CR or LF (RFC 4180), doubling the quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvCell("a\r\nb")).toBe('"a\r\nb"');
    // The separators other locales and imports use: quoted too, so `;=1+1` can't start a cell.
    expect(csvCell("s;=1+1")).toBe('"s;=1+1"');
    expect(csvCell("s\t=1+1")).toBe('"s\t=1+1"');
  });

  it("neutralises formula-injection prefixes = + - @ tab CR with a leading quote", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe(`"'\tcmd"`);
    expect(csvCell("\r=cmd")).toBe(`"'\r=cmd"`);
    expect(csvCell("a=b")).toBe("a=b");
    // NUL, as OWASP lists it (was: left as is).
    expect(csvCell("\u0000=1")).toBe("'\u0000=1");
  });

  it("numbers as they are, undefined empty; rows end with CRLF", () => {
    expect(csvCell(7.5)).toBe("7.5");
    expect(csvCell(undefined)).toBe("");
    expect(csvRow(["s-1", "submitted", 3, undefined])).toBe("s-1,submitted,3,\r\n");
  });
});
