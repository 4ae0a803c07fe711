import type { Server } from './server.js';

/** The room this page is in (or was last in), as whom, on which server (known once resolved). */
export interface Session {
  server: Server | null;
  room: string;
  name: string;
  joined: boolean;
}

/** Where a room's drafts and own ids are kept: per server unless it is the page's own. */
export const roomKey = ({ server, room }: Session, kind: 'own' | 'pending') =>
  server?.fromConfig ? `chat:${kind}:${room}` : `chat:${kind}:${room}@${server?.wsUrl}`;
