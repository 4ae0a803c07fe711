import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '../src/store/table.js';

/** The chat's one table, from the same definition the store and DynamoDB Local use. */
export const createChatTable = (scope: Construct, removalPolicy: RemovalPolicy) =>
  new Table(scope, 'Table', {
    partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
    sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // A kept table also refuses DeleteTable from anyone (console, CLI, a stack deleting it).
    // It does not stop a replacing update (a change to the key schema, say): CloudFormation
    // creates a new, empty table and, with RETAIN, leaves the old one and its data outside the
    // stack. `cdk diff` says "requires replacement" before that happens; README, "Deploying".
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
  });
