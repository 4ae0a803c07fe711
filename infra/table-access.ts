import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';

/**
 * The DynamoDB actions `src/store/` sends, and no others (no Scan, no BatchWriteItem, no streams,
 * no DescribeTable; BatchGetItem reads the revisions of the edited messages a page refers to). A
 * `TransactWriteItems` is authorized per item by the action of each of its parts (`Put` and
 * `Update`). `test/infra` checks this list against the commands in `src/`.
 */
export const TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** Lets the function do on the table (and its indexes, if it ever has any) what the store does. */
export const grantTableAccess = (table: Table, grantee: IGrantable) =>
  table.grant(grantee, ...TABLE_ACTIONS);
