// The invoke group's event sources: each runs in a process of its own, as a deployed function sees one
// source (mixing them would make every inline cache megamorphic and measure the benchmark, not the library).

export interface InvokeSource {
  /** The events/*.json files of this source start with it. */
  prefix: string;
  /** An opt-in source's adapter, which handle(app) leaves out: its events are answered by createHandler with it. */
  optIn?: "vpcLattice" | "lambdaEdge";
}

/** Every source of events/*.json, in match order ("alb-multi-" before "alb-", "vpc-lattice-v2-" before "vpc-lattice-"). */
export const INVOKE_SOURCES: InvokeSource[] = [
  { prefix: "apigw-v1-" },
  { prefix: "http-api-v2-" },
  { prefix: "function-url-" },
  { prefix: "alb-multi-" },
  { prefix: "alb-" },
  { prefix: "vpc-lattice-v2-", optIn: "vpcLattice" },
  { prefix: "vpc-lattice-", optIn: "vpcLattice" },
  { prefix: "lambda-edge-", optIn: "lambdaEdge" },
];

/** The source an events/ file belongs to, or undefined. */
export function invokeSourceOf(file: string): InvokeSource | undefined {
  return INVOKE_SOURCES.find((s) => file.startsWith(s.prefix));
}

/** The HTTP status of a Lambda result of any source (Lambda@Edge answers `status`, a string). */
export function statusOf(result: unknown): number | undefined {
  const r = result as { statusCode?: number; status?: string } | undefined;
  return r?.statusCode ?? (r?.status === undefined ? undefined : Number(r.status));
}
