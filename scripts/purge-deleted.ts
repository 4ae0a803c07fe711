/**
 * Removes, for real, the text that deleted messages leave in the table: the original event's and
 * every edit event's (the log is append-only, so a delete only hides them from readers).
 * `npm run purge-deleted -- --table <name> --room <room> [--seq <n>]`; Region and credentials
 * come from the usual AWS environment, and `AWS_ENDPOINT_URL_DYNAMODB` points it at DynamoDB
 * Local. Point-in-time recovery backups keep the texts until they age out (35 days).
 */
import { parseArgs } from 'node:util';
import { createDocumentClient, createStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    room: { type: 'string' },
    seq: { type: 'string' },
  },
});

const usage = 'usage: npm run purge-deleted -- --table <name> --room <room> [--seq <n>]';
if (!values.table || !values.room) {
  console.error(usage);
  process.exit(2);
}
const seq = values.seq === undefined ? undefined : Number(values.seq);
if (seq !== undefined && !(Number.isInteger(seq) && seq >= 1)) {
  console.error(`--seq must be a whole number of at least 1\n${usage}`);
  process.exit(2);
}

const client = createDocumentClient();
try {
  const store = createStore({ client, tableName: values.table });
  const report = await store.purgeDeletedTexts(values.room, seq);
  const which = report.messages.length > 0 ? ` (${report.messages.join(', ')})` : '';
  console.log(
    `room "${values.room}": removed the text of ${report.messages.length} deleted message(s)${which} and of ${report.edits} edit event(s)`,
  );
} finally {
  client.destroy();
}
