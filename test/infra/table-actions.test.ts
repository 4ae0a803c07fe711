import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TABLE_ACTIONS } from '../../infra/table-access.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** The IAM action each DynamoDB command needs; a transaction needs its parts' actions instead. */
const ACTION_OF: Record<string, string> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  Query: 'dynamodb:Query',
  Scan: 'dynamodb:Scan',
  BatchGet: 'dynamodb:BatchGetItem',
  BatchWrite: 'dynamodb:BatchWriteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};
const TRANSACTIONS = new Set(['TransactWrite', 'TransactGet']);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every DynamoDB command `src/` can send, by the action IAM checks for it. */
const actionsUsedBy = (files: string[]) => {
  const actions = new Set<string>();
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    if (!/from '@aws-sdk\/(lib|client)-dynamodb'/.test(code)) continue;
    const commands = [
      ...code.matchAll(/\bnew (\w+?)(?:Item)?Command\(/g),
      ...code.matchAll(/\bpaginate(\w+)\(/g),
    ].map((match) => match[1] as string);
    for (const command of commands) {
      if (TRANSACTIONS.has(command)) {
        // A transaction's parts: `Put: {`, `Update: {`, `Delete: {`, `ConditionCheck: {`, `Get: {`.
        for (const part of code.matchAll(/\b(Put|Update|Delete|ConditionCheck|Get): \{/g)) {
          actions.add(ACTION_OF[part[1] as string] as string);
        }
        continue;
      }
      const action = ACTION_OF[command];
      if (!action) throw new Error(`${file} sends ${command}: add its IAM action to this test`);
      actions.add(action);
    }
  }
  return actions;
};

describe('the DynamoDB actions granted to the function', () => {
  it('are exactly the ones the store sends, so none is missing and none is spare', () => {
    expect([...actionsUsedBy(sourceFiles(SRC))].sort()).toEqual([...TABLE_ACTIONS].sort());
  });

  it('leave out Scan, batch writes, streams and DescribeTable', () => {
    for (const action of [
      'dynamodb:Scan',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:DescribeTable',
    ]) {
      expect(TABLE_ACTIONS).not.toContain(action);
    }
  });
});
