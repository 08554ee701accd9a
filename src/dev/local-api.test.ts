import { describe, expect, it } from "vitest";
import { loadTemplate } from "./cfn.ts";
import { restBinaryMediaTypes } from "./local-api.ts";

describe("restBinaryMediaTypes: the REST API in front of an entry, as template.yaml declares it", () => {
  it("the app's RestApi treats every type as binary (BinaryMediaTypes */*, SAM-escaped *~1*)", () => {
    expect(restBinaryMediaTypes(loadTemplate(), "src/app/index.ts")).toEqual(["*/*"]);
  });

  it("StreamApi declares none: the dev server keeps its own text/binary rule there", () => {
    expect(restBinaryMediaTypes(loadTemplate(), "src/app/stream.ts")).toBeUndefined();
  });
});
