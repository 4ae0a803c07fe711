import { App } from 'aws-cdk-lib';
import { resolveSettings } from './settings.js';
import { createStacks } from './stacks.js';

/**
 * The CDK app: `npx cdk synth|deploy|destroy --all [-c stage=prod] [-c site=off] ...`; `npm run
 * deploy` deploys the API's stack, then the site's (scripts/deploy.ts).
 */
const app = new App();
createStacks(
  app,
  resolveSettings({ context: (key) => app.node.tryGetContext(key), env: process.env }),
);
app.synth();
