import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { SHORT_SOAK, SOAK_ENV } from '../../local/soak/settings.js';
import { soak } from '../../local/soak/soak.js';
import { createDocumentClient } from '../../src/store/index.js';
import { useChatServer } from '../support/chat-server.js';

// npm start's default runtime: the pool of containers carries the drops and resumes. Warnings only:
// a container's log lines go straight to the process's output, past the test runner.
const server = useChatServer({ ...SOAK_ENV, AWS_LAMBDA_LOG_LEVEL: 'warn' });

describe('soak (short; `npm run soak` for the full one)', () => {
  it("loses nothing, duplicates nothing, shows every client the log's current state and leaves no connection behind while clients drop, resume, edit, delete and type", async () => {
    const report = await soak({
      wsUrl: server.wsUrl,
      store: server.store,
      ...SHORT_SOAK,
    });
    expect(report.problems).toEqual([]);
    expect(report.messagesAccepted).toBe(240);
    expect(report.edits).toBeGreaterThan(0);
    expect(report.deletes).toBeGreaterThan(0);
    expect(report.typingReceived).toBeGreaterThan(0);
    expect(report.drops).toBeGreaterThan(0);
    // No connection item outlives its connection either (a test may Scan; the app never does).
    const client = createDocumentClient({ ...localAwsConfig, endpoint: server.dynamoEndpoint });
    const { Items } = await client.send(
      new ScanCommand({
        TableName: server.tableName,
        FilterExpression: 'begins_with(pk, :conn)',
        ExpressionAttributeValues: { ':conn': 'CONN#' },
      }),
    );
    expect(Items).toEqual([]);
  }, 120_000);
});
