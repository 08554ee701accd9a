// The only module that imports the DynamoDB SDK. It is loaded with `import()` on the first store call
// (client.ts), so /health and requests that fail validation never load it, and the bundler puts it in its
// own chunk.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from "@aws-sdk/lib-dynamodb";

/** The five DynamoDB operations ExamBuddy uses (and the only ones its IAM policy grants). */
export interface Db {
  get(input: GetCommandInput): Promise<GetCommandOutput>;
  put(input: PutCommandInput): Promise<PutCommandOutput>;
  update(input: UpdateCommandInput): Promise<UpdateCommandOutput>;
  delete(input: DeleteCommandInput): Promise<DeleteCommandOutput>;
  query(input: QueryCommandInput): Promise<QueryCommandOutput>;
}

/**
 * A document client configured from the environment: `AWS_REGION`, credentials, and
 * `AWS_ENDPOINT_URL_DYNAMODB` (the local stand-in) are read by the SDK itself.
 */
export function createDb(): Db {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    get: (input) => doc.send(new GetCommand(input)),
    put: (input) => doc.send(new PutCommand(input)),
    update: (input) => doc.send(new UpdateCommand(input)),
    delete: (input) => doc.send(new DeleteCommand(input)),
    query: (input) => doc.send(new QueryCommand(input)),
  };
}
