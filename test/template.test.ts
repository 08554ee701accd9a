// template.yaml checked without the SAM CLI (which can't be installed here): references, runtime, build
// wiring, least privilege. The parse maps CloudFormation's short-form tags (test/cfn.ts).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GRADING_RESERVE_MS } from "../src/app/routes/exports.ts";
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
      JWT_AUDIENCE: { "Fn::Join": [",", { Ref: "JwtAudience" }] },
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
    expect(http.map((e) => `${e.Properties.Method} ${e.Properties.Path}`).sort()).toEqual(["ANY /", "ANY /{proxy+}", "GET /health", "GET /openapi.json", "HEAD /health", "HEAD /openapi.json", "OPTIONS /", "OPTIONS /{proxy+}"]);
    for (const e of http) {
      expect(e.Properties.ApiId).toEqual({ Ref: "HttpApi" });
      expect(e.Properties.PayloadFormatVersion).toBe("2.0");
    }
    for (const open of ["/health", "/openapi.json"]) for (const e of http.filter((e) => e.Properties.Path === open)) expect(e.Properties.Auth).toEqual({ Authorizer: "NONE" });
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

  it("outputs exactly what docs/exambuddy.md lists, including the function's ARN its ALB wiring and Power Tuning take (was: only the name)", () => {
    const docs = readFileSync(`${root}docs/exambuddy.md`, "utf8");
    const from = docs.slice(docs.indexOf("**Outputs:**"));
    const listed = [...from.slice(0, from.indexOf("`. ") + 1).matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1]!);
    expect(listed.sort()).toEqual(Object.keys(t.Outputs!).sort());
    // A lambda target group's target "Id" is "the ARN of the Lambda function" (ELBv2 TargetDescription), and
    // Power Tuning's lambdaARN is one too: the output gives it rather than having the operator assemble it.
    expect(t.Outputs!["FunctionArn"]?.Value).toEqual({ "Fn::GetAtt": ["ExamBuddyFunction", "Arn"] });
    expect(docs).toContain("Id: <ExamBuddy's FunctionArn output>");
    expect(docs).toContain('"lambdaARN": "<FunctionArn output>"');
  });
});

describe("template.yaml: data and least privilege", () => {
  it("keeps the table (PK/SK + GSI1, on demand, PITR, retained)", () => {
    const table = t.Resources["ExamTable"]!;
    expect(table.Type).toBe("AWS::DynamoDB::Table");
    expect(table.DeletionPolicy).toBe("Retain");
    expect(table.UpdateReplacePolicy).toBe("Retain");
    const p = table.Properties;
    // Retain only keeps CloudFormation from deleting it; a DeleteTable from the console or the CLI takes every exam,
    // attempt and grade with it. AWS Config's dynamodb-table-deletion-protection-enabled / Security Hub DynamoDB.6
    // (was: unset, so off).
    expect(p.DeletionProtectionEnabled).toBe(true);
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
    // a deleted draft's or file's objects (DeleteObject), 404s (ListBucket): on the app's two prefixes only.
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
    // ELBv2 CreateTargetGroup: "a maximum of 32 characters, must contain only alphanumeric characters or hyphens, and
    // must not begin or end with a hyphen". A name the group can't have would leave the permission naming no group
    // (was: hyphens accepted at either end).
    const name = new RegExp(params["AlbTargetGroupName"]!.AllowedPattern);
    for (const ok of ["a", "exambuddy-alb", "A1-b2", "x".repeat(32)]) expect(name.test(ok), ok).toBe(true);
    for (const bad of ["", "-alb", "alb-", "-", "x".repeat(33), "alb_1", "alb.1"]) expect(name.test(bad), bad).toBe(false);
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

  it("refuses a blank JwtAudience entry (was: accepted, and JWT_AUDIENCE listing no client turns the function's check off, so REST took tokens of any app client of the pool)", () => {
    // CloudFormation applies a CommaDelimitedList's AllowedPattern to each value; a value of "" is one blank entry.
    const audience = new RegExp(params["JwtAudience"]!.AllowedPattern ?? "");
    expect(audience.test("4k2j8h6g5f4d3s2a1q0w9e8r7t")).toBe(true);
    expect(audience.test("https://api.example.com")).toBe(true);
    for (const bad of ["", " ", " 4k2j8h6g5f4d3s2a1q0w9e8r7t"]) expect(audience.test(bad), JSON.stringify(bad)).toBe(false);
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

  it("leaves the results export most of its timeout to grade in: the reserve it keeps for writing rows without grading is a small part of it", () => {
    // With a timeout near GRADING_RESERVE_MS an export would grade nothing (every expired attempt written open).
    expect(stream.Properties.Timeout * 1000).toBeGreaterThanOrEqual(4 * GRADING_RESERVE_MS);
  });

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

  it("exists only with the REST API (its Cognito pool) and reads only what the export needs (and writes only to grade an attempt whose time ran out)", () => {
    for (const id of ["ExamBuddyStreamFunction", "StreamApi", "StreamApiInvokePermission"]) expect(t.Resources[id]!.Condition, id).toBe("RestApiEnabled");
    expect(t.Outputs!["StreamApiUrl"]!.Condition).toBe("RestApiEnabled");
    const statements = (stream.Properties.Policies as any[]).flatMap((p) => p.Statement);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["dynamodb:GetItem", { "Fn::GetAtt": ["ExamTable", "Arn"] }],
      ["dynamodb:Query", { "Fn::Sub": "${ExamTable.Arn}/index/GSI1" }],
      ["dynamodb:Query", { "Fn::GetAtt": ["ExamTable", "Arn"] }],
      ["dynamodb:UpdateItem", { "Fn::GetAtt": ["ExamTable", "Arn"] }],
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

// ------------------------------------------------------------------------------------------------------------
// Derived from the code, not restated: what each function sends to AWS, reads from its environment and serves,
// against what the template grants, sets and routes. A change to either side that breaks a deploy fails here.
// ------------------------------------------------------------------------------------------------------------

/** Physical names to resolve intrinsics with: ARNs in the shapes AWS gives them. */
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const PHYSICAL: Record<string, { ref: string; arn?: string }> = {
  ExamTable: { ref: "exam-table", arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/exam-table` },
  UploadsBucket: { ref: "uploads-bucket", arn: "arn:aws:s3:::uploads-bucket" },
};
const PSEUDO_VALUES: Record<string, string> = { "AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::URLSuffix": "amazonaws.com" };

/** A policy Resource (string, !Ref, !GetAtt X.Arn, !Sub) as the ARN CloudFormation would put there. */
function resolveArn(value: unknown): string {
  if (typeof value === "string") return value;
  const [fn, arg] = Object.entries(value as Record<string, any>)[0]!;
  if (fn === "Ref" && (PSEUDO_VALUES[arg] ?? PHYSICAL[arg])) return PSEUDO_VALUES[arg] ?? PHYSICAL[arg]!.ref;
  if (fn === "Fn::GetAtt" && arg[1] === "Arn" && PHYSICAL[arg[0]]?.arn) return PHYSICAL[arg[0]]!.arn!;
  if (fn === "Fn::Sub" && typeof arg === "string") {
    return arg.replace(/\$\{([^!}][^}]*)\}/g, (_, name: string) => resolveArn(name.includes(".") ? { "Fn::GetAtt": name.split(/\.(.*)/s).slice(0, 2) } : { Ref: name }));
  }
  throw new Error(`resolveArn: no model for ${JSON.stringify(value)}`);
}

/** IAM's wildcard match: `*` any run of characters, `?` one (actions compare case-insensitively). */
function iamMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.split("*").map((part) => part.split("?").map((s) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&")).join(".")).join(".*");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** One request the code makes: the action, the ARN it is on, the condition keys it carries, and why. */
interface Need {
  action: string;
  resource: string;
  context?: Record<string, string>;
  why: string;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

function conditionHolds(condition: Statement["Condition"], context: Record<string, string>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      // A key the request doesn't carry never satisfies a String* operator.
      if (actual === undefined) return false;
      if (operator === "StringLike") return [expected].flat().some((p) => iamMatches(p, actual));
      if (operator === "StringEquals") return [expected].flat().includes(actual);
      throw new Error(`conditionHolds: no model for ${operator}`);
    }),
  );
}

const grants = (s: Statement, need: Need) =>
  s.Effect === "Allow" &&
  [s.Action].flat().some((a) => iamMatches(a, need.action, true)) &&
  [s.Resource].flat().some((r) => iamMatches(resolveArn(r), need.resource)) &&
  conditionHolds(s.Condition, need.context ?? {});

/** Needs no statement allows, and (statement, action, resource) grants no need uses: both should be empty. */
function auditPolicy(statements: Statement[], needs: Need[]): { missing: string[]; unused: string[] } {
  const missing = needs.filter((n) => !statements.some((s) => grants(s, n))).map((n) => `${n.action} on ${n.resource} (${n.why})`);
  const unused: string[] = [];
  for (const s of statements) {
    for (const action of [s.Action].flat()) {
      for (const resource of [s.Resource].flat()) {
        const narrowed = { ...s, Action: action, Resource: resource };
        if (!needs.some((n) => grants(narrowed, n))) unused.push(`${action} on ${resolveArn(resource)}`);
      }
    }
  }
  return { missing, unused };
}

const policyOf = (id: string): Statement[] => (t.Resources[id]!.Properties.Policies as Array<{ Statement: Statement[] }>).flatMap((p) => p.Statement);

/** The source files esbuild bundles into a function (its metafile inputs under src/), from scripts/build.mjs's entry. */
async function bundledSources(functionId: "ExamBuddyFunction" | "ExamBuddyStreamFunction"): Promise<string[]> {
  const { FUNCTIONS } = await import("../scripts/build.mjs");
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: [FUNCTIONS[functionId].entry],
    bundle: true,
    write: false,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: "out",
    metafile: true,
    alias: { lambdalith: `${root}src` },
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs).filter((f) => f.startsWith("src/"));
}

const TABLE_ARN = PHYSICAL["ExamTable"]!.arn!;
const BUCKET_ARN = PHYSICAL["UploadsBucket"]!.arn!;

// IAM actions per SDK command (lib-dynamodb's short names and client-dynamodb's). "Actions, resources, and condition
// keys for Amazon DynamoDB": each API is authorized by the action of the same name; "a Query on an index" needs the
// index's ARN, table/<name>/index/<index>. TransactWriteItems has no action of its own (each item is authorized
// as the PutItem/UpdateItem/DeleteItem/ConditionCheckItem it is), so it is not mapped: add it with what it contains.
const DYNAMODB_ACTIONS: Record<string, string> = {
  Get: "GetItem", GetItem: "GetItem", Put: "PutItem", PutItem: "PutItem", Update: "UpdateItem", UpdateItem: "UpdateItem",
  Delete: "DeleteItem", DeleteItem: "DeleteItem", Query: "Query", Scan: "Scan", BatchGet: "BatchGetItem", BatchGetItem: "BatchGetItem",
  BatchWrite: "BatchWriteItem", BatchWriteItem: "BatchWriteItem",
};

// S3 (API reference, "Permissions" of each operation): HeadObject "you must have the s3:GetObject permission",
// and for a missing key "If you have the s3:ListBucket permission on the bucket, Amazon S3 returns an HTTP status
// code 404 ... If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403" (the code
// reads 404 as "not uploaded yet"); CopyObject "s3:GetObject permission to read the source object" and "s3:PutObject
// permission to write the object copy". A pre-signed URL carries the signer's authority: the role needs the action.
function s3Needs(command: string, key: string, file: string): Need[] {
  const object = `${BUCKET_ARN}/${key}`;
  const why = `${command} in ${file}`;
  switch (command) {
    case "PutObject":
    case "GetObject":
    case "DeleteObject":
      return [{ action: `s3:${command}`, resource: object, why }];
    case "HeadObject":
      return [
        { action: "s3:GetObject", resource: object, why },
        { action: "s3:ListBucket", resource: BUCKET_ARN, context: { "s3:prefix": key }, why: `${why}: 404 for a missing key` },
      ];
    case "CopyObject":
      return [
        { action: "s3:GetObject", resource: object, why: `${why} (source)` },
        { action: "s3:PutObject", resource: object, why: `${why} (destination)` },
      ];
    default:
      throw new Error(`${file}: no IAM mapping for S3 ${command}Command; add it from the operation's "Permissions"`);
  }
}

describe("template.yaml: IAM derived from the commands the code sends", () => {
  it("the main function's policy allows every command its bundle can send, on the table, each index it queries and each key prefix, and nothing else", async () => {
    const sources = await bundledSources("ExamBuddyFunction");
    const { GSI1: _gsi, ...keys } = await import("../src/app/store/keys.ts");
    const constants: Record<string, unknown> = { ...keys, GSI1: _gsi };
    const { pendingKey, readyKey } = await import("../src/app/files.ts");
    // Every key the app writes to or reads from (files.ts builds them only from its two prefixes).
    const objectKeys = [pendingKey("01JEXAM", "01JFILE"), readyKey("01JEXAM", "01JFILE")];
    const needs: Need[] = [];
    const indexes = new Set<string>();
    let dynamoCommands = 0;
    for (const file of sources) {
      const text = readFileSync(`${root}${file}`, "utf8");
      for (const m of text.matchAll(/IndexName:\s*(?:"([^"]+)"|([A-Za-z_$][\w$]*))/g)) {
        const name = m[1] ?? constants[m[2]!];
        expect(typeof name, `${file}: IndexName ${m[2]} is not an export of store/keys.ts`).toBe("string");
        indexes.add(name as string);
      }
      const commands = [...new Set([...text.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!))];
      if (/from "@aws-sdk\/(lib-dynamodb|client-dynamodb)"/.test(text)) {
        for (const c of commands) {
          const action = DYNAMODB_ACTIONS[c];
          if (!action) throw new Error(`${file}: no IAM mapping for DynamoDB ${c}Command`);
          needs.push({ action: `dynamodb:${action}`, resource: TABLE_ARN, why: `${c}Command in ${file}` });
          dynamoCommands++;
        }
      }
      if (/from "@aws-sdk\/(client-s3|s3-request-presigner)"/.test(text)) {
        for (const c of commands) for (const key of objectKeys) needs.push(...s3Needs(c, key, file));
      }
    }
    expect(dynamoCommands, "the store's commands were found").toBeGreaterThanOrEqual(5);
    expect(needs.some((n) => n.action.startsWith("s3:")), "the S3 commands were found").toBe(true);
    const tableIndexes = (t.Resources["ExamTable"]!.Properties.GlobalSecondaryIndexes as Array<{ IndexName: string }>).map((i) => i.IndexName);
    for (const index of indexes) {
      expect(tableIndexes, `IndexName ${index} is an index of ExamTable`).toContain(index);
      needs.push({ action: "dynamodb:Query", resource: `${TABLE_ARN}/index/${index}`, why: `Query with IndexName ${index}` });
    }
    expect([...indexes]).not.toEqual([]);
    // TABLE_NAME / BUCKET_NAME name the resources whose ARNs the needs are on.
    expect([props.Environment.Variables.TABLE_NAME, props.Environment.Variables.BUCKET_NAME]).toEqual([{ Ref: "ExamTable" }, { Ref: "UploadsBucket" }]);
    expect(auditPolicy(policyOf("ExamBuddyFunction"), needs)).toEqual({ missing: [], unused: [] });
  }, 30_000);

  it("the audit itself: a policy without an index ARN, with ListBucket on another prefix, or with an extra action fails it", () => {
    const needs: Need[] = [
      { action: "dynamodb:Query", resource: `${TABLE_ARN}/index/GSI1`, why: "q" },
      { action: "s3:ListBucket", resource: BUCKET_ARN, context: { "s3:prefix": "pending/e/f" }, why: "head" },
    ];
    const tableOnly: Statement[] = [{ Effect: "Allow", Action: "dynamodb:Query", Resource: { "Fn::GetAtt": ["ExamTable", "Arn"] } }];
    expect(auditPolicy(tableOnly, needs.slice(0, 1)).missing).toHaveLength(1);
    const anyIndex: Statement[] = [{ Effect: "Allow", Action: "dynamodb:query", Resource: { "Fn::Sub": "${ExamTable.Arn}/index/*" } }];
    expect(auditPolicy(anyIndex, needs.slice(0, 1))).toEqual({ missing: [], unused: [] });
    const otherPrefix: Statement[] = [{ Effect: "Allow", Action: "s3:ListBucket", Resource: { "Fn::GetAtt": ["UploadsBucket", "Arn"] }, Condition: { StringLike: { "s3:prefix": ["files/*"] } } }];
    expect(auditPolicy(otherPrefix, needs.slice(1)).missing).toHaveLength(1);
    const extra: Statement[] = [...anyIndex, { Effect: "Allow", Action: ["dynamodb:Scan"], Resource: { "Fn::GetAtt": ["ExamTable", "Arn"] } }];
    expect(auditPolicy(extra, needs.slice(0, 1)).unused).toEqual([`dynamodb:Scan on ${TABLE_ARN}`]);
  });

  describe("the streaming function: what its API's methods make it send, recorded against the local DynamoDB", () => {
    let table: Awaited<ReturnType<typeof import("./local-aws.ts").createTestTable>>;
    afterAll(async () => table?.drop());

    it("its policy allows exactly the DynamoDB calls StreamApi's methods make (and it calls no S3)", async () => {
      const { createTestTable } = await import("./local-aws.ts");
      const { createEvent, handle } = await import("lambdalith");
      const { streamHandler } = await import("lambdalith/stream");
      const { installAwsLambdaGlobal, invokeStreaming } = await import("../src/dev/lambda-runtime.ts");
      const { createApp } = await import("../src/app/app.ts");
      const { createStore } = await import("../src/app/store/index.ts");
      const { createDb } = await import("../src/app/store/sdk.ts");
      table = await createTestTable("stream-iam");
      const calls: Array<{ op: string; input: Record<string, unknown> }> = [];
      const real = createDb();
      // Every Db method, recorded, then sent to dynalite (only methods: `then` must stay undefined for `await`).
      const db = new Proxy(real, {
        get: (target, op: string) => {
          const method = (target as unknown as Record<string, unknown>)[op];
          return typeof method === "function" ? (input: Record<string, unknown>) => (calls.push({ op, input }), method.call(target, input)) : method;
        },
      });
      // The clock moves past the attempt's deadline below: the export grades an attempt whose time ran out.
      const clock = { now: Date.now() };
      const store = createStore({ tableName: table.tableName, db: async () => db, now: () => clock.now });
      const s3Calls: string[] = [];
      const files = { bucket: "uploads-bucket", s3: async () => (s3Calls.push("s3"), Promise.reject(new Error("the streaming function has no S3 permission"))) };
      const app = createApp({ services: () => ({ store, files }), log: () => {} });
      const teacher = { sub: "t-stream", "cognito:groups": "teacher" };
      // The exam the export reads, made through the buffered app (not recorded below).
      const buffered = handle(app);
      const post = async (path: string, body: unknown, auth: Record<string, unknown> = teacher) =>
        JSON.parse((await buffered(createEvent("http-api-v2", { method: "POST", path, headers: { "content-type": "application/json" }, body: JSON.stringify(body), auth }), { awsRequestId: "seed" })).body);
      const exam = await post("/exams", { title: "Stream IAM", durationMinutes: 10 });
      await post(`/exams/${exam.examId}/questions`, { kind: "single", text: "1+1?", choices: ["1", "2"], correct: 1 });
      await post(`/exams/${exam.examId}/publish`, {});
      // An attempt left open past its deadline, which the export grades (reads the questions, writes the attempt).
      const attempt = await post(`/exams/${exam.examId}/attempts`, {}, { sub: "s-stream", "cognito:groups": "student" });
      clock.now = Date.parse(attempt.deadline) + 1;
      calls.length = 0;

      const uninstall = installAwsLambdaGlobal();
      try {
        const streaming = streamHandler(app);
        const paths = t.Resources["StreamApi"]!.Properties.DefinitionBody.paths as Record<string, Record<string, { security?: unknown }>>;
        let invoked = 0;
        for (const [template, item] of Object.entries(paths)) {
          const path = template.replace(/\{examId\}/g, exam.examId);
          expect(path, `${template}: every path parameter is filled`).not.toMatch(/[{}]/);
          for (const [method, op] of Object.entries(item).filter(([m]) => m !== "parameters")) {
            const preflight = { origin: "https://app.example", "access-control-request-method": "GET" };
            const event = createEvent("apigw-v1", { method: method.toUpperCase(), path, ...(op.security ? { auth: teacher } : { headers: preflight }) });
            const res = await invokeStreaming(streaming as never, event, { context: { awsRequestId: "stream-iam" } });
            expect(res.prelude?.statusCode, `${method} ${path}`).toBeLessThan(300);
            invoked++;
          }
        }
        expect(invoked).toBeGreaterThanOrEqual(2);
      } finally {
        uninstall();
      }
      const ACTIONS: Record<string, string> = { get: "GetItem", put: "PutItem", update: "UpdateItem", delete: "DeleteItem", query: "Query" };
      const needs: Need[] = calls.map(({ op, input }) => ({
        action: `dynamodb:${ACTIONS[op] ?? op}`,
        resource: input["IndexName"] ? `${TABLE_ARN}/index/${input["IndexName"]}` : TABLE_ARN,
        why: `${op}${input["IndexName"] ? ` on ${input["IndexName"]}` : ""}`,
      }));
      expect(needs.length).toBeGreaterThan(0);
      expect(calls.some((c) => c.op === "update"), "the expired attempt was graded").toBe(true);
      expect(s3Calls).toEqual([]);
      expect(t.Resources["ExamBuddyStreamFunction"]!.Properties.Environment.Variables.TABLE_NAME).toEqual({ Ref: "ExamTable" });
      expect(auditPolicy(policyOf("ExamBuddyStreamFunction"), needs)).toEqual({ missing: [], unused: [] });
    }, 30_000);
  });
});

describe("template.yaml: each function's environment, handler and build, derived from the code", () => {
  // Names the code reads that the template need not set, each with the reason it is safe unset on Lambda.
  const NOT_FROM_TEMPLATE: Record<string, string> = {
    AWS_REGION: "a reserved variable the Lambda runtime sets",
    AWS_ENDPOINT_URL_S3: "local stand-ins only: unset, the SDK uses the region's endpoint",
    AWS_ENDPOINT_URL: "local stand-ins only: unset, the SDK uses the region's endpoint",
    ALB_OIDC_PUBLIC_KEY: "the dev server's ALB emulation only: unset, the key is fetched from Elastic Load Balancing",
    EXAMBUDDY_VERSION: "replaced at build time (scripts/build.mjs `define`)",
  };
  const ENV_READ = /\b(?:process\.)?env(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g;

  async function envNamesRead(functionId: "ExamBuddyFunction" | "ExamBuddyStreamFunction"): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const file of await bundledSources(functionId)) {
      for (const m of readFileSync(`${root}${file}`, "utf8").matchAll(ENV_READ)) names.set(m[1] ?? m[2]!, file);
    }
    return names;
  }

  for (const id of ["ExamBuddyFunction", "ExamBuddyStreamFunction"] as const) {
    it(`${id}: every environment variable its bundle reads is set by the template (or safe unset), and every one set is read`, async () => {
      const variables = t.Resources[id]!.Properties.Environment.Variables as Record<string, unknown>;
      const read = await envNamesRead(id);
      expect([...read.keys()]).toEqual(expect.arrayContaining(["TABLE_NAME", "BUCKET_NAME", "STAGE", "CORS_ALLOW_ORIGINS"]));
      const safeUnset = { ...NOT_FROM_TEMPLATE };
      if (id === "ExamBuddyStreamFunction") {
        // alb-identity.ts reads ALB_ARN only for ALB events, and only ExamBuddyFunction may be invoked by an ALB.
        const albTargets = Object.values(t.Resources).filter((r) => r.Type === "AWS::Lambda::Permission" && r.Properties.Principal === "elasticloadbalancing.amazonaws.com").map((r) => r.Properties.FunctionName);
        expect(albTargets).toEqual([{ "Fn::GetAtt": ["ExamBuddyFunction", "Arn"] }]);
        safeUnset["ALB_ARN"] = "read for ALB events only, which never reach this function";
      }
      const unset = [...read].filter(([name]) => !(name in variables) && !(name in safeUnset)).map(([name, file]) => `${name} (${file})`);
      expect(unset).toEqual([]);
      // NODE_OPTIONS is read by Node itself.
      const unread = Object.keys(variables).filter((name) => name !== "NODE_OPTIONS" && !read.has(name));
      expect(unread).toEqual([]);
      expect(readFileSync(`${root}scripts/build.mjs`, "utf8")).toMatch(/define: \{ "process\.env\.EXAMBUDDY_VERSION"/);
    }, 30_000);
  }

  it("every function runs the Node the build targets: esbuild's target is the runtime's version, platform node, ESM (.mjs + type module)", async () => {
    const build = await import("../scripts/build.mjs");
    const functions = Object.entries(t.Resources).filter(([, r]) => r.Type === "AWS::Serverless::Function");
    expect(functions.map(([id]) => id).sort()).toEqual(Object.keys(build.FUNCTIONS).sort());
    expect(build.RUNTIME_TARGET, "scripts/build.mjs exports RUNTIME_TARGET").toMatch(/^node\d+$/);
    for (const [id, r] of functions) {
      // A target below the runtime lowers syntax the runtime runs natively; above it, emits syntax it can't parse.
      expect(r.Properties.Runtime, id).toBe(`nodejs${build.RUNTIME_TARGET.slice("node".length)}.x`);
      expect(r.Properties.Architectures, id).toEqual(["arm64"]);
      const [file] = (r.Properties.Handler as string).split(/\.(?=[^.]+$)/);
      expect(build.FUNCTIONS[id as keyof typeof build.FUNCTIONS].file, id).toBe(`${file}.mjs`);
    }
    const text = readFileSync(`${root}scripts/build.mjs`, "utf8");
    expect(text).toMatch(/platform: "node",\s*target: RUNTIME_TARGET,/);
    expect(text).toMatch(/format: "esm"/);
  });
});

/** A template path (`/exams/{examId}`, `/{proxy+}`) against a request path: literal, one-segment and greedy parts. */
function pathMatches(template: string, path: string): boolean {
  const want = template.split("/").slice(1);
  const got = path.split("/").slice(1);
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (/^\{\w+\+\}$/.test(part)) return i === want.length - 1 && got.length > i && got.slice(i).every(Boolean);
    if (got[i] === undefined || (part.startsWith("{") ? !got[i] : part !== got[i])) return false;
  }
  return got.length === want.length;
}

// "API Gateway uses the following priority to select the route: 1. Full match for a route and method. 2. Match for a
// route and method with a greedy path variable ({proxy+}). 3. The $default route." (HTTP API developer guide,
// "Routing API requests"); ANY "match[es] all methods that you haven't defined for a resource".
function httpApiRoute<R extends { method: string; path: string }>(routes: R[], method: string, path: string): R | undefined {
  const rank = (r: R) => (r.path.includes("+}") ? 2 : 0) + (r.method === "ANY" ? 1 : 0);
  return routes.filter((r) => (r.method === method || r.method === "ANY") && pathMatches(r.path, path)).sort((a, b) => rank(a) - rank(b))[0];
}

// REST: the most specific resource wins (literal over {param} over {proxy+}); a method it lacks is not looked up on
// another resource (API Gateway answers 403 "Missing Authentication Token").
function restOperation(paths: Record<string, Record<string, any>>, method: string, path: string): { resource: string; op: any } | undefined {
  // Segment by segment, from the left: literal (0) before {param} (1) before {proxy+} (2).
  const specificity = (template: string) => template.split("/").slice(1).map((p) => (p.includes("+}") ? "2" : p.startsWith("{") ? "1" : "0")).join("");
  const resource = Object.keys(paths).filter((p) => pathMatches(p, path)).sort((a, b) => specificity(a).localeCompare(specificity(b)))[0];
  if (resource === undefined) return undefined;
  const op = paths[resource]![method.toLowerCase()] ?? paths[resource]!["x-amazon-apigateway-any-method"];
  return op ? { resource, op } : undefined;
}

describe("template.yaml: every route of the app reaches the function through each API, with the app's own auth rule", () => {
  const sample = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => `01J${name.toUpperCase()}`);

  /** Every (method, path) the app answers (HEAD for each GET: the router serves it), and whether it answers without a token. */
  async function appRequests(): Promise<Array<{ method: string; path: string; open: boolean }>> {
    const { createEvent, handle } = await import("lambdalith");
    const { createApp } = await import("../src/app/app.ts");
    const app = createApp({ services: () => Promise.reject(new Error("no service before authentication")) as never, log: () => {} });
    const buffered = handle(app);
    const requests: Array<{ method: string; path: string; open: boolean }> = [];
    for (const route of app.routes()) {
      for (const method of route.method === "GET" ? ["GET", "HEAD"] : [route.method]) {
        const path = sample(route.path);
        const res = await buffered(createEvent("http-api-v2", { method, path }), { awsRequestId: "routes" });
        requests.push({ method, path, open: res.statusCode !== 401 });
      }
    }
    return requests;
  }

  it("HTTP API: each request matches a route to the function, without an authorizer exactly where the app needs no token", async () => {
    const requests = await appRequests();
    expect(requests.filter((r) => r.open).map((r) => `${r.method} ${r.path}`).sort()).toEqual(["GET /health", "GET /openapi.json", "HEAD /health", "HEAD /openapi.json"]);
    const routes = Object.entries(props.Events as Record<string, { Type: string; Properties: any }>)
      .filter(([, e]) => e.Type === "HttpApi")
      .map(([name, e]) => ({ name, method: e.Properties.Method.toUpperCase(), path: e.Properties.Path, open: e.Properties.Auth?.Authorizer === "NONE" }));
    const wrong = requests
      .map((r) => ({ r, route: httpApiRoute(routes, r.method, r.path) }))
      .filter(({ r, route }) => route === undefined || route.open !== r.open)
      .map(({ r, route }) => `${r.method} ${r.path}: ${route ? `${route.name} (${route.open ? "no authorizer" : "JWT"})` : "no route"}, the app ${r.open ? "needs no token" : "needs a token"}`);
    expect(wrong).toEqual([]);
  });

  it("REST API: each request reaches an aws_proxy operation on ExamBuddyFunction, without Cognito exactly where the app needs no token; every OPTIONS is open", async () => {
    const paths = t.Resources["RestApi"]!.Properties.DefinitionBody.paths as Record<string, Record<string, any>>;
    const requests = await appRequests();
    const wrong: string[] = [];
    // A preflight carries no token: OPTIONS on every path the app serves must be open (the function's cors() answers).
    const preflights = [...new Set(requests.map((x) => x.path))].map((path) => ({ method: "OPTIONS", path, open: true }));
    for (const r of [...requests, ...preflights]) {
      const found = restOperation(paths, r.method, r.path);
      const integration = found?.op["x-amazon-apigateway-integration"];
      const open = found !== undefined && !(found.op.security?.length > 0);
      if (!found) wrong.push(`${r.method} ${r.path}: no operation`);
      else if (integration?.type !== "aws_proxy" || !JSON.stringify(integration.uri).includes("${ExamBuddyFunction.Arn}/invocations")) wrong.push(`${r.method} ${r.path}: not the function's proxy integration`);
      else if (open !== r.open) wrong.push(`${r.method} ${r.path}: ${found.resource} ${open ? "open" : "behind Cognito"}, the app ${r.open ? "needs no token" : "needs a token"}`);
    }
    expect(wrong).toEqual([]);
  });

  it("the matchers: literal beats {param} beats {proxy+}, a specific method beats ANY, and REST does not fall through to another resource", () => {
    const routes = [{ method: "ANY", path: "/{proxy+}" }, { method: "GET", path: "/health" }, { method: "ANY", path: "/" }];
    expect(httpApiRoute(routes, "GET", "/health")).toBe(routes[1]);
    expect(httpApiRoute(routes, "HEAD", "/health")).toBe(routes[0]);
    expect(httpApiRoute(routes, "GET", "/")).toBe(routes[2]);
    expect(pathMatches("/{proxy+}", "/")).toBe(false);
    expect(pathMatches("/exams/{examId}", "/exams/e1/questions")).toBe(false);
    const paths = { "/health": { get: { a: 1 } }, "/{proxy+}": { "x-amazon-apigateway-any-method": { b: 2 } } };
    expect(restOperation(paths, "GET", "/health")?.op).toEqual({ a: 1 });
    expect(restOperation(paths, "HEAD", "/health")).toBeUndefined();
    expect(restOperation(paths, "HEAD", "/exams")?.op).toEqual({ b: 2 });
  });
});

describe("template.yaml: CORS, timeouts and the bucket's rules, derived from the code", () => {
  async function appPreflight(): Promise<Record<string, string>> {
    const { createEvent, handle } = await import("lambdalith");
    const { createApp } = await import("../src/app/app.ts");
    const buffered = handle(createApp({ services: () => Promise.reject(new Error("unused")) as never, log: () => {} }));
    const headers = { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
    const res = await buffered(createEvent("apigw-v1", { method: "OPTIONS", path: "/exams", headers }), { awsRequestId: "cors" });
    expect(res.statusCode).toBe(204);
    const exposed = await buffered(createEvent("apigw-v1", { method: "GET", path: "/health", headers: { origin: "https://app.example" } }), { awsRequestId: "cors" });
    return { ...res.headers, "access-control-expose-headers": exposed.headers["access-control-expose-headers"] } as Record<string, string>;
  }
  const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean).sort();

  it("the HTTP API's CorsConfiguration allows every method and header the function's cors() allows, and exposes the same headers", async () => {
    // "If you configure CORS for an API, API Gateway ignores CORS headers returned from your backend integration" and
    // "automatically sends a response to preflight OPTIONS requests" (HTTP API guide, "Configure CORS"): what the
    // function's cors() would allow, the HTTP API's configuration has to allow itself.
    const app = await appPreflight();
    const cors = t.Resources["HttpApi"]!.Properties.CorsConfiguration;
    const lower = (xs: string[]) => xs.map((x) => x.toLowerCase()).sort();
    expect(list(app["access-control-allow-methods"]).filter((m) => !lower(cors.AllowMethods).includes(m))).toEqual([]);
    expect(list(app["access-control-allow-headers"]).filter((h) => !lower(cors.AllowHeaders).includes(h))).toEqual([]);
    expect(lower(cors.ExposeHeaders)).toEqual(list(app["access-control-expose-headers"]));
    expect(String(cors.MaxAge)).toBe(app["access-control-max-age"]);
  });

  it("the bucket's CORS rule lets a browser send what a pre-signed PUT signs and what the upload tells it to send", async () => {
    const { createS3 } = await import("../src/app/s3-sdk.ts");
    const { createUpload, createFiles } = await import("../src/app/files.ts");
    // Signing is local: no request leaves the process. As on Lambda: no stand-in endpoint, so the S3 URL AWS serves.
    const saved = { AWS_ENDPOINT_URL_S3: process.env["AWS_ENDPOINT_URL_S3"], AWS_ENDPOINT_URL: process.env["AWS_ENDPOINT_URL"] };
    delete process.env["AWS_ENDPOINT_URL_S3"];
    delete process.env["AWS_ENDPOINT_URL"];
    let upload: Awaited<ReturnType<typeof createUpload>>;
    try {
      // The SDK reads the endpoint variables while it signs, not only when the client is made.
      const s3 = createS3();
      upload = await createUpload(createFiles({ bucket: "uploads-bucket", s3: async () => s3 }), { examId: "01JEXAM", contentType: "application/pdf", size: 1234 });
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    }
    const url = new URL(upload.url);
    expect(url.hostname).toBe("uploads-bucket.s3.us-east-1.amazonaws.com");
    const signed = (url.searchParams.get("X-Amz-SignedHeaders") ?? "").split(";");
    expect(signed).toContain("content-type");
    // The browser sets host and content-length itself (forbidden request headers, never in a preflight's list).
    const browserSends = [...new Set([...signed.filter((h) => h !== "host" && h !== "content-length"), ...Object.keys(upload.headers).map((h) => h.toLowerCase())])];
    const rule = t.Resources["UploadsBucket"]!.Properties.CorsConfiguration.CorsRules[0];
    expect(browserSends.filter((h) => !(rule.AllowedHeaders as string[]).map((a) => a.toLowerCase()).includes(h))).toEqual([]);
    expect(rule.AllowedMethods).toEqual(expect.arrayContaining([upload.method, "GET"]));
    // Nothing a browser can't send: a checksum parameter would need an x-amz-checksum-* header the rule doesn't allow.
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
  });

  it("no API gives up on the function before the function's own timeout (HTTP API 30 s, REST 29 s unless set; a preflight does no I/O)", () => {
    // HTTP API integrations: "between 50 and 30,000 milliseconds ... The default timeout is ... 30 seconds for HTTP
    // APIs" (API Gateway V2 API reference, Integration.timeoutInMillis). REST: "The default value is 29,000
    // milliseconds"; with responseTransferMode STREAM, up to 900,000 (API Gateway, "Stream the integration response").
    const timeoutMs = (id: string) => (t.Resources[id]!.Properties.Timeout as number) * 1000;
    const waits: Array<{ what: string; fn: string; waitMs: number }> = [];
    for (const [name, e] of Object.entries(props.Events as Record<string, { Type: string; Properties: any }>)) {
      if (e.Type === "HttpApi") waits.push({ what: `HttpApi event ${name}`, fn: "ExamBuddyFunction", waitMs: e.Properties.TimeoutInMillis ?? 30_000 });
    }
    for (const api of ["RestApi", "StreamApi"]) {
      for (const [path, item] of Object.entries(t.Resources[api]!.Properties.DefinitionBody.paths as Record<string, Record<string, any>>)) {
        for (const [method, op] of Object.entries(item).filter(([m]) => m !== "parameters" && m !== "options")) {
          const integration = op["x-amazon-apigateway-integration"];
          const fn = /\$\{(\w+)\.Arn\}/.exec(JSON.stringify(integration.uri))![1]!;
          const max = integration.responseTransferMode === "STREAM" ? 900_000 : 29_000;
          const waitMs = integration.timeoutInMillis ?? 29_000;
          expect(waitMs, `${api} ${method} ${path}`).toBeLessThanOrEqual(max);
          waits.push({ what: `${api} ${method} ${path}`, fn, waitMs });
        }
      }
    }
    expect(waits.length).toBeGreaterThan(6);
    expect(waits.filter((w) => timeoutMs(w.fn) > w.waitMs).map((w) => `${w.what}: waits ${w.waitMs} ms, ${w.fn} may run ${timeoutMs(w.fn)} ms`)).toEqual([]);
  });

  it("the bucket's CORS rule allows exactly the methods of the URLs the app pre-signs (was: HEAD too, which no URL of ours can authorize)", () => {
    // A SigV4 pre-signed URL signs its HTTP method (the canonical request starts with it: "Authenticating Requests:
    // Using Query Parameters"), so a browser can only use it with the method of the operation signed. The app signs
    // exactly what s3-sdk.ts passes to getSignedUrl; a HEAD with a GET URL is a 403 SignatureDoesNotMatch.
    const METHOD: Record<string, string> = { PutObject: "PUT", GetObject: "GET", HeadObject: "HEAD", DeleteObject: "DELETE" };
    const sdk = readFileSync(`${root}src/app/s3-sdk.ts`, "utf8");
    const signed = [...sdk.matchAll(/getSignedUrl\(\s*client,\s*new (\w+)Command\(/g)].map((m) => m[1]!);
    expect(signed.sort()).toEqual(["GetObject", "PutObject"]);
    const rule = t.Resources["UploadsBucket"]!.Properties.CorsConfiguration.CorsRules[0];
    expect([...rule.AllowedMethods].sort()).toEqual([...new Set(signed.map((c) => METHOD[c]!))].sort());
  });

  it("the bucket: objects owned by the bucket (no ACLs), every request over TLS, unfinished multipart uploads aborted", () => {
    const bucket = t.Resources["UploadsBucket"]!.Properties;
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] });
    const pending = bucket.LifecycleConfiguration.Rules.find((r: { Id: string }) => r.Id === "ExpirePendingUploads");
    expect(pending.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 1 });
    const policy = t.Resources["UploadsBucketPolicy"]!;
    expect(policy.Type).toBe("AWS::S3::BucketPolicy");
    expect(policy.Properties.Bucket).toEqual({ Ref: "UploadsBucket" });
    // S3's "enforce encryption in transit": deny every action, on the bucket and its objects, without TLS.
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [{ "Fn::GetAtt": ["UploadsBucket", "Arn"] }, { "Fn::Sub": "${UploadsBucket.Arn}/*" }],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("the table's TTL attribute is the one the idempotency claim writes, in epoch seconds (DynamoDB TTL ignores anything else)", async () => {
    const { claimIdempotencyKey, createStore, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_SECONDS } = await import("../src/app/store/index.ts");
    const items: Array<Record<string, unknown>> = [];
    const db = { put: async (input: { Item: Record<string, unknown> }) => (items.push(input.Item), {}) } as never;
    const now = Date.UTC(2026, 11, 1);
    await claimIdempotencyKey(createStore({ tableName: "exam-table", db: async () => db, now: () => now }), { sub: "u", key: "k", fingerprint: "f" });
    const ttl = t.Resources["ExamTable"]!.Properties.TimeToLiveSpecification;
    expect(ttl.Enabled).toBe(true);
    expect(items[0]![ttl.AttributeName]).toBe(now / 1000 + IDEMPOTENCY_TTL_SECONDS);
    // A claim is retaken after its lease: the lease must outlast the longest run of the function that holds it.
    expect(IDEMPOTENCY_LEASE_MS).toBeGreaterThan(props.Timeout * 1000);
  });

  it("the lifecycle rule expires exactly the prefix uploads land under, never the completed files", async () => {
    const { PENDING_PREFIX, READY_PREFIX } = await import("../src/app/files.ts");
    const rules = t.Resources["UploadsBucket"]!.Properties.LifecycleConfiguration.Rules as Array<{ Prefix?: string; Status: string; ExpirationInDays?: number }>;
    const expiring = rules.filter((r) => r.Status === "Enabled" && r.ExpirationInDays !== undefined).map((r) => r.Prefix ?? "");
    expect(expiring).toEqual([PENDING_PREFIX]);
    expect(expiring.some((p) => READY_PREFIX.startsWith(p))).toBe(false);
  });
});
