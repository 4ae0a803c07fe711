import { createHmac, randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from './dynamo/client.js';
import { putIfAbsent } from './dynamo/conditional.js';
import { StoreError } from './dynamo/errors.js';
import { pepperKey } from './dynamo/keys.js';

/** The configured pepper (a value or an SSM parameter's, read by the caller), or none. */
export type PepperSource = () => Promise<string | undefined>;

/** The secret key of the store's keyed fingerprints, loaded once per container. */
export type FingerprintKey = () => Promise<Buffer>;

/** Bytes of the pepper a table makes for itself. */
const TABLE_PEPPER_BYTES = 32;

/**
 * The fingerprint key: the configured pepper when there is one, else the table's own, so that a
 * deployment with no configuration still has a key of its own. Asked for once per container
 * (a failed load is asked for again next time).
 */
export const fingerprintKey = (deps: TableRef, configured?: PepperSource): FingerprintKey => {
  let key: Promise<Buffer> | undefined;
  const load = async () => {
    const pepper = await configured?.();
    return pepper !== undefined ? Buffer.from(pepper, 'utf8') : tablePepper(deps);
  };
  return () => {
    key ??= load().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
};

/**
 * The table's pepper: read, or made by the first container that finds none (a conditional put,
 * so racing containers all end up with the one that landed).
 */
const tablePepper = async (deps: TableRef): Promise<Buffer> => {
  const { Item } = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: pepperKey, ConsistentRead: true }),
  );
  if (typeof Item?.pepper === 'string') return Buffer.from(Item.pepper, 'base64url');
  const made = randomBytes(TABLE_PEPPER_BYTES).toString('base64url');
  const put = await putIfAbsent(deps, { ...pepperKey, pepper: made });
  const pepper = put.written ? made : put.existing?.pepper;
  if (typeof pepper !== 'string')
    throw new StoreError('the table holds a pepper item without a pepper');
  return Buffer.from(pepper, 'base64url');
};

/**
 * HMAC-SHA256 of `data` under the fingerprint key, base64url without padding: what a secret
 * becomes before anything keeps it (a connection's key becomes its author), and what a public id
 * is cut from. Without the pepper, neither can be turned back or confirmed by a guess.
 */
export const keyedHash = async (key: FingerprintKey, data: string | Uint8Array) =>
  createHmac('sha256', await key())
    .update(data)
    .digest('base64url');
