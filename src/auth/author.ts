import type { Connection } from '../store/index.js';

/**
 * Who answers for what a connection sends: the token's subject when the connection proved one,
 * otherwise its name (which, without auth, is whatever the client said it was). Client ids are
 * deduplicated per author, and only a message's author may edit or delete it.
 */
export const authorOf = (connection: Connection) =>
  connection.subject !== undefined ? `sub:${connection.subject}` : `name:${connection.name}`;
