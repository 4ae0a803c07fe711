import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '../src/store/dynamo/table.js';

/** The chat's one table, from the same definition the store and DynamoDB Local use. */
export const createChatTable = (scope: Construct, removalPolicy: RemovalPolicy) =>
  new Table(scope, 'Table', {
    partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
    sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // No deletion protection, even on a kept table: the rollback of the deploy that created it
    // deletes it (RETAIN_ON_UPDATE_OR_DELETE), and a protected table would refuse, leaving the
    // stack stuck in ROLLBACK_FAILED. A deleted table with PITR on leaves a backup for 35 days. A
    // replacing update (a change to the key schema, say) creates a new, empty table and keeps the
    // old one outside the stack: `cdk diff` says "requires replacement";
    // docs/deploy.md#destroying-a-stage-and-what-survives-it.
    deletionProtection: false,
    removalPolicy,
  });
