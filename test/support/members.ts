import type { Store } from '../../src/store/index.js';

/**
 * Saves connections (named after their ids) in a room, 50 at a time, as if they had connected
 * `ago` ms before now (default an hour: settled connections).
 */
export const registerMembers = async (
  store: Pick<Store, 'saveConnection'>,
  room: string,
  ids: string[],
  ago = 3_600_000,
) => {
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((connectionId) =>
        store.saveConnection({
          connectionId,
          room,
          name: connectionId,
          connectedAt: Date.now() - ago,
        }),
      ),
    );
  }
};
