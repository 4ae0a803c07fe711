import type { App } from 'aws-cdk-lib';
import { ChatStack } from './chat-stack.js';
import type { ChatSettings } from './settings.js';
import { SiteStack } from './site-stack.js';

/**
 * One stage of the chat: the API's stack and, unless the settings leave the site out, the
 * browser site's, which reads the API's URL (so it deploys after it). Environment-agnostic (no
 * `env`): synth needs no credentials and does no lookups.
 */
export const createStacks = (app: App, settings: ChatSettings) => {
  const chat = new ChatStack(app, settings.stackName, {
    settings,
    description: `Serverless WebSocket chat (${settings.stage})`,
  });
  const { siteStackName } = settings;
  const site =
    siteStackName === undefined
      ? undefined
      : new SiteStack(app, siteStackName, {
          settings: { ...settings, siteStackName },
          webSocketUrl: chat.webSocketUrl,
          description: `Serverless WebSocket chat (${settings.stage}): the browser client`,
        });
  return { chat, site };
};
