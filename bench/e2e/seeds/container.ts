import { instrumentContainer } from '../instrument.js';
import { createSeedsDeps, createSeedsHandler } from './handler.js';

/** The seeds' handler in an instrumented container: DynamoDB requests and posts are counted. */
export const createSeedsContainer = () =>
  instrumentContainer((meter) => {
    const deps = createSeedsDeps();
    meter.dynamo(deps.db);
    deps.api.middlewareStack.add(
      (next) => (args) => {
        meter.post();
        return next(args);
      },
      { step: 'initialize', name: 'benchPostCounter' },
    );
    return createSeedsHandler(deps);
  });
