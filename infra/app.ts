import { App } from 'aws-cdk-lib';
import { ChatStack } from './chat-stack.js';
import { resolveSettings } from './settings.js';

/** The CDK app: `npx cdk synth|deploy|destroy [-c stage=prod] [-c removal=retain|destroy]`. */
const app = new App();
const settings = resolveSettings({
  context: (key) => app.node.tryGetContext(key),
  env: process.env,
});
// Environment-agnostic (no `env`): synth needs no credentials and does no lookups.
new ChatStack(app, settings.stackName, {
  settings,
  description: `Serverless WebSocket chat (${settings.stage})`,
});
app.synth();
