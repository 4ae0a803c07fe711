import { describe, expect, it } from 'vitest';
import { contextArguments, deployPlan } from '../../infra/deploy-plan.js';
import { deployedWebSocketUrl } from '../../local/smoke/deployed-url.js';

describe('npm run deploy', () => {
  it('deploys the chat API, then the site, each alone and with its own outputs file', () => {
    expect(deployPlan([], {})).toEqual([
      {
        part: 'chat',
        stackName: 'ServerlessChat-dev',
        args: [
          'deploy',
          'ServerlessChat-dev',
          '--exclusively',
          '--require-approval',
          'never',
          '--outputs-file',
          'cdk.out/outputs.json',
        ],
      },
      {
        part: 'site',
        stackName: 'ServerlessChat-dev-site',
        args: [
          'deploy',
          'ServerlessChat-dev-site',
          '--exclusively',
          '--require-approval',
          'never',
          '--outputs-file',
          'cdk.out/site-outputs.json',
        ],
      },
    ]);
  });

  it('passes the user’s cdk arguments on, and takes the stage and site from them as the app does', () => {
    const args = ['-c', 'stage=prod', '--context=site=off', '--profile', 'work'];
    const [chat, ...rest] = deployPlan(args, {});
    expect(rest).toEqual([]);
    expect(chat?.stackName).toBe('ServerlessChat-prod');
    expect(chat?.args.slice(-5)).toEqual(args);
    expect(deployPlan([], { CHAT_STAGE: 'alice' }).map((step) => step.stackName)).toEqual([
      'ServerlessChat-alice',
      'ServerlessChat-alice-site',
    ]);
  });

  it('reads -c pairs however they are written, and refuses what the app would refuse', () => {
    expect(
      contextArguments(['-c', 'a=1', '--context', 'b=x=y', '--context=c=', '-c', 'bad']),
    ).toEqual({ a: '1', b: 'x=y', c: '' });
    expect(() => deployPlan(['-c', 'stage=Prod'], {})).toThrow('stage "Prod" must be');
  });
});

describe('npm run smoke without a URL', () => {
  const outputs = (...stages: string[]) =>
    Object.fromEntries(
      stages.map((stage) => [
        `ServerlessChat-${stage}`,
        { WebSocketUrl: `wss://x.execute-api.eu-west-1.amazonaws.com/${stage}` },
      ]),
    );

  it('uses the URL the last deploy wrote, whatever its stage', () => {
    expect(deployedWebSocketUrl(outputs('prod'), undefined)).toEqual({
      url: 'wss://x.execute-api.eu-west-1.amazonaws.com/prod',
    });
    expect(deployedWebSocketUrl(outputs('alice'), undefined)).toEqual({
      url: 'wss://x.execute-api.eu-west-1.amazonaws.com/alice',
    });
  });

  it('takes CHAT_STAGE’s when set, and says what it found otherwise', () => {
    expect(deployedWebSocketUrl(outputs('dev', 'prod'), 'prod')).toEqual({
      url: 'wss://x.execute-api.eu-west-1.amazonaws.com/prod',
    });
    expect(deployedWebSocketUrl(outputs('prod'), 'dev')).toEqual({
      error:
        'the last deploy wrote no WebSocketUrl for ServerlessChat-dev (it has: ServerlessChat-prod)',
    });
    expect(deployedWebSocketUrl(outputs('dev', 'prod'), undefined)).toEqual({
      error:
        'the last deploy wrote several WebSocket URLs (ServerlessChat-dev, ServerlessChat-prod): set CHAT_STAGE',
    });
    expect(deployedWebSocketUrl({}, undefined)).toEqual({
      error: 'the last deploy wrote no WebSocketUrl',
    });
  });
});
