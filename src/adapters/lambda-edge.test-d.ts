import { expectTypeOf, it } from "vitest";
import type { LambdaEdgeResult } from "../index.ts";

// CHANGELOG (breaking, types): a result without a body has no body field, so the type says it may be absent.
it("LambdaEdgeResult's body and bodyEncoding may be absent; status is required", () => {
  expectTypeOf<LambdaEdgeResult["body"]>().toEqualTypeOf<string | undefined>();
  expectTypeOf<LambdaEdgeResult["bodyEncoding"]>().toEqualTypeOf<"text" | "base64" | undefined>();
  expectTypeOf<LambdaEdgeResult["status"]>().toEqualTypeOf<string>();
});
