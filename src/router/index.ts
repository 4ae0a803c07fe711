import { createDeps, type Deps } from '../deps.js';
import { createHandler } from './create-handler.js';

let deps: Deps | undefined;

/** The Lambda entry point behind every route. Clients are created once per container. */
export const handler = createHandler(() => {
  deps ??= createDeps();
  return deps;
});
