import { describe, expect, it } from "vitest";
import { defaultAdapters, detectAdapter } from "../index.ts";
import { toEvent, type DevSource } from "./http-event.ts";

describe("toEvent: an HTTP request as each source's event", () => {
  it.each(["http", "rest", "url", "alb", "alb-single"] as DevSource[])("%s: headers named like Object.prototype members are ordinary headers", (source) => {
    const event = toEvent(source, { method: "GET", url: "/x?a=1", rawHeaders: ["Constructor", "c", "__proto__", "p", "Accept", "a"], body: new Uint8Array(), remoteAddress: "127.0.0.1" });
    const req = detectAdapter(event, defaultAdapters)!.request(event as never, { awsRequestId: "r" }, {});
    expect(req.headers["constructor"]).toBe("c");
    expect(req.headers["__proto__"]).toBe("p");
    expect(req.headers["accept"]).toBe("a");
  });
});
