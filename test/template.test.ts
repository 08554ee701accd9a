// template.yaml checked without the SAM CLI (which can't be installed here): references, runtime, build
// wiring, least privilege. The parse maps CloudFormation's short-form tags (test/cfn.ts).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { intrinsics, loadTemplate, parseTemplate, subReferences, type Template } from "../src/dev/cfn.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const t = loadTemplate();
const fn = t.Resources["ExamBuddyFunction"]!;
const props = fn.Properties;

const PSEUDO = ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

/** Resources SAM generates from the ones written (referable by logical id). */
function implicitResources(template: Template): string[] {
  const ids = ["ServerlessRestApi", "ServerlessHttpApi"];
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === "AWS::Serverless::Function") {
      ids.push(`${id}Role`);
      if (r.Properties?.FunctionUrlConfig) ids.push(`${id}Url`);
      if (r.Properties?.AutoPublishAlias) ids.push(`${id}Alias${r.Properties.AutoPublishAlias}`, `${id}Version`);
    }
    if (r.Type === "AWS::Serverless::Api") ids.push(`${id}Deployment`, `${id}${r.Properties?.StageName ?? "Prod"}Stage`);
    if (r.Type === "AWS::Serverless::HttpApi") ids.push(`${id}ApiGatewayDefaultStage`);
  }
  return ids;
}

/** Every logical id or parameter each intrinsic of the template names, with where it is. */
function references(template: Template): { name: string; attr?: string; path: string }[] {
  const refs: { name: string; attr?: string; path: string }[] = [];
  for (const section of ["Resources", "Outputs", "Conditions"] as const) {
    for (const { fn, arg, path } of intrinsics(template[section], section)) {
      if (fn === "Ref" && typeof arg === "string") refs.push({ name: arg, path });
      if (fn === "Fn::GetAtt") {
        const [name, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/s);
        refs.push({ name: name!, attr: attr!, path });
      }
      if (fn === "Fn::Sub") {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
        for (const r of subReferences(text)) {
          const [name, attr] = r.split(/\.(.*)/s);
          if (name! in vars) continue;
          refs.push(attr ? { name: name!, attr, path } : { name: name!, path });
        }
      }
    }
  }
  return refs;
}

const KNOWN_ATTRIBUTES: Record<string, string[]> = {
  "AWS::DynamoDB::Table": ["Arn", "StreamArn"],
  "AWS::S3::Bucket": ["Arn", "DomainName", "RegionalDomainName", "WebsiteURL", "DualStackDomainName"],
  "AWS::Serverless::Function": ["Arn"],
  "AWS::Serverless::Api": ["RootResourceId"],
  "AWS::Logs::LogGroup": ["Arn"],
  "AWS::IAM::Role": ["Arn", "RoleId"],
};

describe("template.yaml: structure and references", () => {
  it("is a SAM template", () => {
    expect(t.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(t.Transform).toBe("AWS::Serverless-2016-10-31");
  });

  it("parses every short-form intrinsic tag", () => {
    const parsed = parseTemplate(`
a: !Ref X
b: !GetAtt A.B.C
c: !GetAtt [A, B]
d: !If [C, !Sub "x\${Y}", !Ref "AWS::NoValue"]
e: !Select [0, !Split [",", !Join [",", [a, b]]]]
f: !FindInMap [M, K, !Base64 v]
g: !And [!Not [!Equals [a, b]], !Or [!Condition C, !Equals [1, 1]]]
h: !GetAZs ""
i: !ImportValue other-stack-output
j: !Sub ["\${A}", { A: !Ref B }]
`);
    expect(parsed).toEqual({
      a: { Ref: "X" },
      b: { "Fn::GetAtt": ["A", "B.C"] },
      c: { "Fn::GetAtt": ["A", "B"] },
      d: { "Fn::If": ["C", { "Fn::Sub": "x${Y}" }, { Ref: "AWS::NoValue" }] },
      e: { "Fn::Select": [0, { "Fn::Split": [",", { "Fn::Join": [",", ["a", "b"]] }] }] },
      f: { "Fn::FindInMap": ["M", "K", { "Fn::Base64": "v" }] },
      g: { "Fn::And": [{ "Fn::Not": [{ "Fn::Equals": ["a", "b"] }] }, { "Fn::Or": [{ Condition: "C" }, { "Fn::Equals": [1, 1] }] }] },
      h: { "Fn::GetAZs": "" },
      i: { "Fn::ImportValue": "other-stack-output" },
      j: { "Fn::Sub": ["${A}", { A: { Ref: "B" } }] },
    });
  });

  it("every !Ref, !GetAtt and !Sub target exists (resource, parameter, pseudo parameter, SAM implicit)", () => {
    const known = new Set([...Object.keys(t.Resources), ...Object.keys(t.Parameters ?? {}), ...PSEUDO, ...implicitResources(t)]);
    const refs = references(t);
    expect(refs.length).toBeGreaterThan(20);
    const missing = refs.filter((r) => !known.has(r.name));
    expect(missing).toEqual([]);
    for (const r of refs.filter((x) => x.attr !== undefined)) {
      expect(Object.keys(t.Parameters ?? {}), `${r.path}: a parameter has no attributes`).not.toContain(r.name);
      const type = t.Resources[r.name]?.Type;
      if (type && KNOWN_ATTRIBUTES[type]) expect(KNOWN_ATTRIBUTES[type], `${r.path}: ${r.name}.${r.attr}`).toContain(r.attr);
    }
    expect(refs.some((r) => r.name === "ExamBuddyFunctionUrl" && r.attr === "FunctionUrl")).toBe(true);
  });

  it("every condition used is defined", () => {
    const defined = new Set(Object.keys(t.Conditions ?? {}));
    const used = [
      ...Object.values(t.Resources).map((r) => r.Condition),
      ...Object.values(t.Outputs ?? {}).map((o) => o.Condition),
      ...[...intrinsics(t)].filter((i) => i.fn === "Fn::If").map((i) => (i.arg as unknown[])[0] as string),
      ...[...intrinsics(t.Conditions)].filter((i) => i.fn === "Condition").map((i) => i.arg as string),
    ].filter((c): c is string => c !== undefined);
    expect(used.length).toBeGreaterThan(0);
    for (const c of used) expect(defined).toContain(c);
  });

  it("every parameter is used", () => {
    const refs = new Set(references(t).map((r) => r.name));
    for (const p of Object.keys(t.Parameters ?? {})) expect(refs, p).toContain(p);
  });
});

describe("template.yaml: the function and its build", () => {
  it("runs Node 24 on arm64 with 1024 MB, X-Ray and source maps", () => {
    expect(fn.Type).toBe("AWS::Serverless::Function");
    expect(props.Runtime).toBe("nodejs24.x");
    expect(props.Architectures).toEqual(["arm64"]);
    expect(props.MemorySize).toBe(1024);
    expect(props.Tracing).toBe("Active");
    expect(props.Environment.Variables).toEqual({
      STAGE: { Ref: "Stage" },
      TABLE_NAME: { Ref: "ExamTable" },
      BUCKET_NAME: { Ref: "UploadsBucket" },
      CORS_ALLOW_ORIGINS: { "Fn::Join": [",", { Ref: "CorsAllowOrigins" }] },
      ALB_ARN: { Ref: "AlbArn" },
      NODE_OPTIONS: "--enable-source-maps",
    });
  });

  it("is built by the Makefile target calling scripts/build.mjs, whose entry exists and whose output the handler names", async () => {
    expect(fn.Metadata).toEqual({ BuildMethod: "makefile" });
    const makefile = readFileSync(`${root}/${props.CodeUri}/Makefile`, "utf8");
    const target = makefile.match(/^build-ExamBuddyFunction:\s*\n((?:\t.*\n?)+)/m);
    expect(target, "Makefile target build-ExamBuddyFunction").not.toBeNull();
    expect(target![1]).toContain("node scripts/build.mjs --out $(ARTIFACTS_DIR)");
    const build = await import("../scripts/build.mjs");
    expect(existsSync(`${root}/${build.ENTRY}`)).toBe(true);
    const [file, exportName] = (props.Handler as string).split(/\.(?=[^.]+$)/);
    expect(build.HANDLER_FILE).toBe(`${file}.mjs`);
    expect(exportName).toBe("handler");
    expect(readFileSync(`${root}/${build.ENTRY}`, "utf8")).toMatch(/export const handler\b/);
  });

  it("serves the HTTP API with a JWT authorizer, /health and /openapi.json open, CORS, payload 2.0", () => {
    const api = t.Resources["HttpApi"]!;
    expect(api.Type).toBe("AWS::Serverless::HttpApi");
    const jwt = api.Properties.Auth.Authorizers[api.Properties.Auth.DefaultAuthorizer];
    expect(jwt.JwtConfiguration).toEqual({ issuer: { Ref: "JwtIssuer" }, audience: { Ref: "JwtAudience" } });
    expect(api.Properties.CorsConfiguration.AllowMethods).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE"]));
    const events = Object.values(props.Events as Record<string, { Type: string; Properties: any }>);
    const http = events.filter((e) => e.Type === "HttpApi");
    expect(http.map((e) => `${e.Properties.Method} ${e.Properties.Path}`).sort()).toEqual(["ANY /", "ANY /{proxy+}", "GET /health", "GET /openapi.json", "OPTIONS /", "OPTIONS /{proxy+}"]);
    for (const e of http) {
      expect(e.Properties.ApiId).toEqual({ Ref: "HttpApi" });
      expect(e.Properties.PayloadFormatVersion).toBe("2.0");
    }
    for (const open of ["/health", "/openapi.json"]) expect(http.find((e) => e.Properties.Path === open)!.Properties.Auth).toEqual({ Authorizer: "NONE" });
    // A preflight carries no Authorization: the ANY routes would hand it to the JWT authorizer (a 401 the
    // browser blocks on), so OPTIONS has its own routes without one (was: none).
    for (const e of http.filter((e) => e.Properties.Method === "OPTIONS")) expect(e.Properties.Auth).toEqual({ Authorizer: "NONE" });
    expect(props.FunctionUrlConfig).toEqual({ AuthType: "AWS_IAM" });
  });

  it("puts the REST API (payload 1.0, binary */*) on its own conditional resource", () => {
    const rest = t.Resources["RestApi"]! as typeof t.Resources[string] & { DependsOn?: string };
    expect(rest.Type).toBe("AWS::Serverless::Api");
    expect(rest.Condition).toBe("RestApiEnabled");
    expect(rest.Properties.BinaryMediaTypes).toEqual(["*~1*"]);
    expect(t.Resources["RestApiInvokePermission"]!.Condition).toBe("RestApiEnabled");
    expect(t.Outputs!["RestApiUrl"]!.Condition).toBe("RestApiEnabled");
    const integrations = [...intrinsics(rest.Properties.DefinitionBody)].filter((i) => i.fn === "Fn::Sub").map((i) => i.arg as string);
    expect(integrations.filter((s) => s.includes("${ExamBuddyFunction.Arn}")).length).toBeGreaterThanOrEqual(3);
    // /health and /openapi.json without the Cognito authorizer; / and /{proxy+} behind it.
    const paths = rest.Properties.DefinitionBody.paths;
    for (const open of ["/health", "/openapi.json"]) expect(paths[open].get.security, open).toBeUndefined();
    expect(paths["/"]["x-amazon-apigateway-any-method"].security).toEqual([{ Cognito: [] }]);
    // No event on the function points at it (SAM can't make a single event conditional).
    expect(Object.values(props.Events as Record<string, { Type: string }>).map((e) => e.Type)).not.toContain("Api");
  });

  it("both REST APIs: no second \"Stage\" stage (SAM adds one unless OpenApiVersion is set), and API Gateway's own 4xx/5xx carry a CORS origin (was: an unthrottled extra stage; a 401 a browser could not read)", () => {
    for (const name of ["RestApi", "StreamApi"]) {
      const api = t.Resources[name]!;
      expect(api.Properties.OpenApiVersion, name).toBe("2.0");
      expect(api.Properties.DefinitionBody.swagger, name).toBe("2.0");
      for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) expect(api.Properties.GatewayResponses[type].ResponseParameters.Headers["Access-Control-Allow-Origin"], `${name} ${type}`).toBe("'*'");
    }
  });

  it("outputs every URL", () => {
    expect(Object.keys(t.Outputs!)).toEqual(expect.arrayContaining(["HttpApiUrl", "FunctionUrl", "RestApiUrl", "TableName", "BucketName"]));
    expect(t.Outputs!["FunctionUrl"]!.Value).toEqual({ "Fn::GetAtt": ["ExamBuddyFunctionUrl", "FunctionUrl"] });
  });
});

describe("template.yaml: data and least privilege", () => {
  it("keeps the table (PK/SK + GSI1, on demand, PITR, retained)", () => {
    const table = t.Resources["ExamTable"]!;
    expect(table.Type).toBe("AWS::DynamoDB::Table");
    expect(table.DeletionPolicy).toBe("Retain");
    expect(table.UpdateReplacePolicy).toBe("Retain");
    const p = table.Properties;
    expect(p.BillingMode).toBe("PAY_PER_REQUEST");
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.KeySchema).toEqual([{ AttributeName: "PK", KeyType: "HASH" }, { AttributeName: "SK", KeyType: "RANGE" }]);
    expect(p.GlobalSecondaryIndexes).toEqual([
      { IndexName: "GSI1", KeySchema: [{ AttributeName: "GSI1PK", KeyType: "HASH" }, { AttributeName: "GSI1SK", KeyType: "RANGE" }], Projection: { ProjectionType: "ALL" } },
    ]);
  });

  it("locks the bucket down and expires pending uploads", () => {
    const p = t.Resources["UploadsBucket"]!.Properties;
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe("AES256");
    expect(p.CorsConfiguration.CorsRules[0].AllowedMethods).toEqual(expect.arrayContaining(["PUT", "GET"]));
    const rule = p.LifecycleConfiguration.Rules.find((r: any) => r.Id === "ExpirePendingUploads");
    expect(rule).toMatchObject({ Status: "Enabled", Prefix: "pending/", ExpirationInDays: 1 });
  });

  it("grants only the actions the code uses, only on the table, its index and the bucket", () => {
    const statements = (props.Policies as any[]).flatMap((p) => p.Statement);
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      for (const a of [s.Action].flat()) expect(a).not.toContain("*");
      for (const r of [s.Resource].flat()) {
        const named = references({ Resources: { X: { Type: "x", Properties: r } } } as Template).map((x) => x.name);
        expect(named.length, JSON.stringify(r)).toBeGreaterThan(0);
        for (const n of named) expect(["ExamTable", "UploadsBucket"]).toContain(n);
      }
    }
    // DynamoDB: exactly the commands store/sdk.ts sends.
    const sdk = readFileSync(`${root}/src/app/store/sdk.ts`, "utf8");
    const commands = [...new Set([...sdk.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!))];
    const itemActions: Record<string, string> = { Get: "GetItem", Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", Query: "Query" };
    const dynamo = [...new Set(actions.filter((a) => a.startsWith("dynamodb:")))].sort();
    expect(dynamo).toEqual(commands.map((c) => `dynamodb:${itemActions[c]}`).sort());
    // S3: pre-signed PUT/GET, HeadObject and the ranged GET (GetObject), CopyObject (GetObject + PutObject),
    // a deleted draft's objects (DeleteObject), 404s (ListBucket): on the app's two prefixes only.
    expect(actions.filter((a) => a.startsWith("s3:"))).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    expect(actions.every((a) => a.startsWith("dynamodb:") || a.startsWith("s3:"))).toBe(true);
    const list = statements.find((s) => [s.Action].flat().includes("s3:ListBucket"));
    expect(list.Resource).toEqual({ "Fn::GetAtt": ["UploadsBucket", "Arn"] });
    expect(list.Condition).toEqual({ StringLike: { "s3:prefix": ["pending/*", "files/*"] } });
    const prefixes = [{ "Fn::Sub": "${UploadsBucket.Arn}/pending/*" }, { "Fn::Sub": "${UploadsBucket.Arn}/files/*" }];
    for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) {
      const statement = statements.find((s) => [s.Action].flat().includes(action));
      expect(statement.Resource, action).toEqual(prefixes);
    }
  });
});

describe("template.yaml: issue 11 (a template that caps cost)", () => {
  // Parameter constraints and DependsOn are outside test/cfn's Template type: read them as parsed.
  const params = (t.Parameters ?? {}) as Record<string, any>;
  const http = t.Resources["HttpApi"]!.Properties;
  const rest = t.Resources["RestApi"]! as typeof t.Resources[string] & { DependsOn?: string };
  const isJsonLog = (format: string) => {
    const fields = JSON.parse(format) as Record<string, string>;
    expect(fields["requestId"]).toBe("$context.requestId");
    expect(fields["user"]).toBe("$context.authorizer.claims.sub");
    // Who acted, never their token.
    expect(format).not.toMatch(/authorization|header/i);
    return fields;
  };

  it("throttles both APIs: HTTP API DefaultRouteSettings and REST MethodSettings on every method", () => {
    const limits = { ThrottlingRateLimit: { Ref: "ThrottleRateLimit" }, ThrottlingBurstLimit: { Ref: "ThrottleBurstLimit" } };
    expect(http.DefaultRouteSettings).toEqual(limits);
    expect(rest.Properties.MethodSettings).toEqual([{ ResourcePath: "/*", HttpMethod: "*", ...limits }]);
    for (const p of ["ThrottleRateLimit", "ThrottleBurstLimit"]) expect(params[p]).toMatchObject({ Type: "Number", MinValue: 1 });
  });

  it("reserves (and so caps) the function's concurrency from a parameter; -1 reserves none", () => {
    expect(props.ReservedConcurrentExecutions).toEqual({ "Fn::If": ["HasReservedConcurrency", { Ref: "ReservedConcurrency" }, { Ref: "AWS::NoValue" }] });
    expect(t.Conditions!["HasReservedConcurrency"]).toEqual({ "Fn::Not": [{ "Fn::Equals": [{ Ref: "ReservedConcurrency" }, "-1"] }] });
    expect(params["ReservedConcurrency"]).toMatchObject({ Type: "Number", MinValue: -1 });
    expect(params["ReservedConcurrency"]!.Default).toBeGreaterThan(0);
  });

  it("gives every log group a retention: the function's own, and one per API for access logs", () => {
    const groups = Object.entries(t.Resources).filter(([, r]) => r.Type === "AWS::Logs::LogGroup");
    expect(groups.map(([id]) => id).sort()).toEqual(["FunctionLogGroup", "HttpApiAccessLogs", "RestApiAccessLogs", "StreamApiAccessLogs", "StreamFunctionLogGroup"]);
    for (const [id, r] of groups) expect(r.Properties.RetentionInDays, id).toEqual({ Ref: "LogRetentionDays" });
    expect(t.Resources["FunctionLogGroup"]!.Properties.LogGroupName).toEqual({ "Fn::Sub": "/aws/lambda/${ExamBuddyFunction}" });
    expect(t.Resources["RestApiAccessLogs"]!.Condition).toBe("RestApiEnabled");
    // The streaming function and its REST API (with the REST API's condition), the same way.
    expect(t.Resources["StreamFunctionLogGroup"]!.Properties.LogGroupName).toEqual({ "Fn::Sub": "/aws/lambda/${ExamBuddyStreamFunction}" });
    for (const id of ["StreamFunctionLogGroup", "StreamApiAccessLogs"]) expect(t.Resources[id]!.Condition, id).toBe("RestApiEnabled");
    expect(params["LogRetentionDays"]!.AllowedValues).toContain(params["LogRetentionDays"]!.Default);
  });

  it("writes access logs of both APIs as JSON lines naming the user", () => {
    expect(http.AccessLogSettings.DestinationArn).toEqual({ "Fn::GetAtt": ["HttpApiAccessLogs", "Arn"] });
    expect(isJsonLog(http.AccessLogSettings.Format)).toMatchObject({ routeKey: "$context.routeKey", status: "$context.status" });
    expect(rest.Properties.AccessLogSetting.DestinationArn).toEqual({ "Fn::GetAtt": ["RestApiAccessLogs", "Arn"] });
    expect(isJsonLog(rest.Properties.AccessLogSetting.Format)).toMatchObject({ resourcePath: "$context.resourcePath", status: "$context.status" });
    // REST logging needs the account's API Gateway CloudWatch role, set before the API and kept on deletion.
    expect(rest.DependsOn).toBe("ApiGatewayAccount");
    const account = t.Resources["ApiGatewayAccount"]!;
    expect(account).toMatchObject({ Type: "AWS::ApiGateway::Account", Condition: "RestApiEnabled", DeletionPolicy: "Retain" });
    expect(account.Properties.CloudWatchRoleArn).toEqual({ "Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"] });
    const role = t.Resources["ApiGatewayCloudWatchRole"]!;
    expect(role).toMatchObject({ Type: "AWS::IAM::Role", Condition: "RestApiEnabled", DeletionPolicy: "Retain" });
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: "apigateway.amazonaws.com" });
    expect(role.Properties.ManagedPolicyArns).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs" }]);
  });

  it("keeps the bucket on stack deletion and replacement", () => {
    const bucket = t.Resources["UploadsBucket"]!;
    expect(bucket.DeletionPolicy).toBe("Retain");
    expect(bucket.UpdateReplacePolicy).toBe("Retain");
  });

  it("lets preflights reach the function unauthenticated on REST / as on /{proxy+}", () => {
    const paths = rest.Properties.DefinitionBody.paths;
    for (const path of ["/", "/{proxy+}"]) {
      const options = paths[path].options;
      expect(options, path).toBeDefined();
      expect(options.security, path).toBeUndefined();
      expect(options["x-amazon-apigateway-integration"]).toMatchObject({ type: "aws_proxy", httpMethod: "POST" });
      expect(paths[path]["x-amazon-apigateway-any-method"].security, path).toEqual([{ Cognito: [] }]);
    }
  });

  it("lets Elastic Load Balancing invoke the function from the named target group, only with AlbArn", () => {
    expect(t.Conditions!["AlbEnabled"]).toEqual({ "Fn::Not": [{ "Fn::Equals": [{ Ref: "AlbArn" }, ""] }] });
    const permission = t.Resources["AlbInvokePermission"]!;
    expect(permission).toMatchObject({ Type: "AWS::Lambda::Permission", Condition: "AlbEnabled" });
    expect(permission.Properties).toEqual({
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": ["ExamBuddyFunction", "Arn"] },
      Principal: "elasticloadbalancing.amazonaws.com",
      SourceArn: { "Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/${AlbTargetGroupName}/*" },
    });
    expect(new RegExp(params["AlbTargetGroupName"]!.AllowedPattern).test(params["AlbTargetGroupName"]!.Default)).toBe(true);
  });

  it("encrypts the table with the AWS owned key (no KMS charges) and expires idempotency keys by TTL", () => {
    const p = t.Resources["ExamTable"]!.Properties;
    expect(p.SSESpecification).toEqual({ SSEEnabled: false });
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: "expiresAt", Enabled: true });
  });

  it("drops AWS_NODEJS_CONNECTION_REUSE_ENABLED (SDK v2 only; v3 reuses connections by default)", () => {
    expect(props.Environment.Variables).not.toHaveProperty("AWS_NODEJS_CONNECTION_REUSE_ENABLED");
  });

  it("never opens the bucket's CORS to *, even when the API's is", () => {
    expect(params["CorsAllowOrigins"]!.Default).toBe("*");
    const rule = t.Resources["UploadsBucket"]!.Properties.CorsConfiguration.CorsRules[0];
    expect(rule.AllowedOrigins).toEqual({ Ref: "UploadCorsAllowOrigins" });
    expect(rule.AllowedHeaders).toEqual(["content-type"]);
    // CloudFormation applies a CommaDelimitedList's AllowedPattern to each value.
    const origin = new RegExp(params["UploadCorsAllowOrigins"]!.AllowedPattern);
    for (const ok of String(params["UploadCorsAllowOrigins"]!.Default).split(",")) expect(origin.test(ok), ok).toBe(true);
    expect(origin.test("https://app.example.com")).toBe(true);
    for (const bad of ["*", "https://*.example.com", "null", "app.example.com", ""]) expect(origin.test(bad), bad).toBe(false);
  });

  it("lets browsers send and read the Idempotency-Key headers", () => {
    expect(http.CorsConfiguration.AllowHeaders).toContain("idempotency-key");
    expect(http.CorsConfiguration.ExposeHeaders).toContain("idempotent-replayed");
  });
});

describe("template.yaml: the response-streaming function and its REST API", () => {
  const stream = t.Resources["ExamBuddyStreamFunction"]!;
  const api = t.Resources["StreamApi"]!;
  const paths = api.Properties.DefinitionBody.paths as Record<string, Record<string, any>>;

  it("is its own function, built by its own Makefile target, whose handler file is the streaming entry's output", async () => {
    expect(stream.Type).toBe("AWS::Serverless::Function");
    expect(stream.Metadata).toEqual({ BuildMethod: "makefile" });
    expect(stream.Properties.CodeUri).toBe(props.CodeUri);
    expect([stream.Properties.Runtime, stream.Properties.Architectures]).toEqual([props.Runtime, props.Architectures]);
    const makefile = readFileSync(`${root}/Makefile`, "utf8");
    const target = makefile.match(/^build-ExamBuddyStreamFunction:\s*\n((?:\t.*\n?)+)/m);
    expect(target?.[1]).toContain("node scripts/build.mjs --function ExamBuddyStreamFunction --out $(ARTIFACTS_DIR)");
    const build = await import("../scripts/build.mjs");
    const fn = build.FUNCTIONS.ExamBuddyStreamFunction;
    const [file, exportName] = (stream.Properties.Handler as string).split(/\.(?=[^.]+$)/);
    expect(fn.file).toBe(`${file}.mjs`);
    expect(exportName).toBe("handler");
    expect(readFileSync(`${root}/${fn.entry}`, "utf8")).toMatch(/export const handler = streamHandler\(/);
    // Same configuration as the main function where the app reads it.
    for (const name of ["STAGE", "TABLE_NAME", "BUCKET_NAME", "CORS_ALLOW_ORIGINS"]) expect(stream.Properties.Environment.Variables[name], name).toEqual(props.Environment.Variables[name]);
  });

  it("exists only with the REST API (its Cognito pool) and reads only what the export needs", () => {
    for (const id of ["ExamBuddyStreamFunction", "StreamApi", "StreamApiInvokePermission"]) expect(t.Resources[id]!.Condition, id).toBe("RestApiEnabled");
    expect(t.Outputs!["StreamApiUrl"]!.Condition).toBe("RestApiEnabled");
    const statements = (stream.Properties.Policies as any[]).flatMap((p) => p.Statement);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["dynamodb:GetItem", { "Fn::GetAtt": ["ExamTable", "Arn"] }],
      ["dynamodb:Query", { "Fn::Sub": "${ExamTable.Arn}/index/GSI1" }],
    ]);
  });

  it("streams through REST: AWS_PROXY, the InvokeWithResponseStream URI and responseTransferMode STREAM, behind the same Cognito authorizer", () => {
    expect(api.Type).toBe("AWS::Serverless::Api");
    const rest = t.Resources["RestApi"]!.Properties.DefinitionBody;
    expect(api.Properties.DefinitionBody.securityDefinitions).toEqual(rest.securityDefinitions);
    const methods = Object.values(paths).flatMap((item) => Object.entries(item).filter(([m]) => m !== "parameters"));
    expect(methods.length).toBeGreaterThan(0);
    for (const [method, op] of methods) {
      const integration = op["x-amazon-apigateway-integration"];
      expect(integration.type, method).toBe("aws_proxy");
      expect(integration.httpMethod).toBe("POST");
      expect(integration.responseTransferMode).toBe("STREAM");
      expect(integration.uri).toEqual({
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2021-11-15/functions/${ExamBuddyStreamFunction.Arn}/response-streaming-invocations",
      });
      // Preflights go to cors() unauthenticated; everything else needs a Cognito token.
      expect(op.security, method).toEqual(method === "options" ? undefined : [{ Cognito: [] }]);
    }
    // Throttled, logged and ordered after the account's CloudWatch role, as RestApi is.
    const restApi = t.Resources["RestApi"]!;
    expect(api.Properties.MethodSettings).toEqual(restApi.Properties.MethodSettings);
    expect(api.Properties.AccessLogSetting).toEqual({ ...restApi.Properties.AccessLogSetting, DestinationArn: { "Fn::GetAtt": ["StreamApiAccessLogs", "Arn"] } });
    expect((api as typeof api & { DependsOn?: string }).DependsOn).toBe("ApiGatewayAccount");
    expect(stream.Properties.ReservedConcurrentExecutions).toEqual({ "Fn::If": ["HasReservedConcurrency", 5, { Ref: "AWS::NoValue" }] });
    const permission = t.Resources["StreamApiInvokePermission"]!.Properties;
    expect(permission).toMatchObject({ Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com", FunctionName: { "Fn::GetAtt": ["ExamBuddyStreamFunction", "Arn"] } });
    expect(permission.SourceArn["Fn::Sub"]).toContain("${StreamApi}/*");
  });

  it("every streamed path is a GET route of the app", async () => {
    const { createApp } = await import("../src/app/app.ts");
    const routes = createApp({ services: () => ({}) as never }).routes().map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    for (const [path, item] of Object.entries(paths)) if (item["get"]) expect(routes).toContain(`GET ${path}`);
    expect(Object.keys(paths)).toEqual(["/exams/{examId}/results.csv"]);
  });
});
