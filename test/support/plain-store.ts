import type { Store } from '../../src/store/index.js';

/**
 * A store holding only the verbs a test gives it, for running a route as a plain function. A
 * route that reaches for any other verb fails the test, naming it.
 */
export const plainStore = (verbs: Partial<Store>): Store =>
  new Proxy(verbs as Store, {
    get: (target, verb: string) => {
      if (verb in target) return target[verb as keyof Store];
      if (verb === 'then') return undefined;
      throw new Error(`the route used store.${verb}, which this test did not give it`);
    },
  });

/** Frames posted to connections, by connection, parsed; and the connections closed. */
export const postBox = () => {
  const posts: { connectionId: string; frame: Record<string, unknown> }[] = [];
  const closed: string[] = [];
  return {
    api: {
      post: async (connectionId: string, data: string) => {
        posts.push({ connectionId, frame: JSON.parse(data) as Record<string, unknown> });
      },
      delete: async (connectionId: string) => {
        closed.push(connectionId);
      },
    },
    framesTo: (connectionId: string) =>
      posts.filter((post) => post.connectionId === connectionId).map((post) => post.frame),
    closed: () => closed,
  };
};
