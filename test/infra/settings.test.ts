import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESERVED_CONCURRENCY, resolveSettings } from '../../infra/settings.js';

const resolve = (context: Record<string, string> = {}, env: Record<string, string> = {}) =>
  resolveSettings({ context: (key) => context[key], env });

describe('resolveSettings', () => {
  it('defaults to a throwaway dev stage', () => {
    expect(resolve()).toEqual({
      stage: 'dev',
      stackName: 'ServerlessChat-dev',
      siteStackName: 'ServerlessChat-dev-site',
      siteOriginsParameter: '/ServerlessChat-dev/site-origins',
      allowedOrigins: [],
      functionName: 'ServerlessChat-dev-router',
      removalPolicy: RemovalPolicy.DESTROY,
      reservedConcurrency: DEFAULT_RESERVED_CONCURRENCY,
      apiLogsRole: 'create',
      connectAuth: {
        secretParameter: undefined,
        jwtSecretParameter: undefined,
        jwtAudience: undefined,
        jwtIssuer: undefined,
      },
      alarmEmail: undefined,
    });
  });

  it('keeps the data of prod by default, unless the deploy that creates it rolls back', () => {
    expect(resolve({ stage: 'prod' }).removalPolicy).toBe(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  });

  it('takes the stage from CHAT_STAGE when the context has none', () => {
    expect(resolve({}, { CHAT_STAGE: 'prod' })).toMatchObject({
      stage: 'prod',
      stackName: 'ServerlessChat-prod',
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  });

  it('prefers the context over the environment', () => {
    expect(resolve({ stage: 'alice' }, { CHAT_STAGE: 'prod' }).stage).toBe('alice');
  });

  it('lets an explicit removal override the stage default', () => {
    expect(resolve({ stage: 'prod', removal: 'destroy' }).removalPolicy).toBe(
      RemovalPolicy.DESTROY,
    );
    expect(resolve({ stage: 'demo', removal: 'retain' }).removalPolicy).toBe(
      RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    );
    expect(resolve({ stage: 'prod' }, { CHAT_REMOVAL: 'destroy' }).removalPolicy).toBe(
      RemovalPolicy.DESTROY,
    );
  });

  it('rejects a removal other than retain or destroy', () => {
    expect(() => resolve({ removal: 'snapshot' })).toThrow(/retain.*destroy/);
  });

  it('rejects a stage that cannot name a stack, an API stage and a function', () => {
    for (const stage of ['', 'Prod', 'my_stage', '1st', 'a'.repeat(21)]) {
      expect(() => resolve({ stage })).toThrow(/stage/);
    }
  });

  it('keeps the function name within Lambda’s 64 characters for the longest stage', () => {
    expect(resolve({ stage: 'a'.repeat(20) }).functionName.length).toBeLessThanOrEqual(64);
  });

  it('reserves 100 executions unless told a number or none', () => {
    expect(DEFAULT_RESERVED_CONCURRENCY).toBe(100);
    expect(resolve({ reservedConcurrency: '250' }).reservedConcurrency).toBe(250);
    expect(resolve({}, { CHAT_RESERVED_CONCURRENCY: '20' }).reservedConcurrency).toBe(20);
    expect(resolve({ reservedConcurrency: 'none' }).reservedConcurrency).toBeUndefined();
  });

  it('rejects a reserved concurrency that is not a whole number from 1 to 10,000 or none', () => {
    for (const reservedConcurrency of ['0', '-5', '1.5', '1e3', '10001', 'off', '']) {
      expect(() => resolve({ reservedConcurrency })).toThrow(/reservedConcurrency.*none/);
    }
  });

  it('creates the API Gateway logs role unless the account already has one', () => {
    expect(resolve({ apiLogsRole: 'existing' }).apiLogsRole).toBe('existing');
    expect(resolve({}, { CHAT_API_LOGS_ROLE: 'existing' }).apiLogsRole).toBe('existing');
    expect(() => resolve({ apiLogsRole: 'none' })).toThrow(/apiLogsRole.*create.*existing/);
  });

  it('takes the auth secrets as SSM parameter names and the JWT claims as plain values', () => {
    expect(
      resolve(
        { connectJwtSecretParameter: '/chat/prod/jwt-key', jwtAudience: 'chat' },
        {
          CHAT_CONNECT_SECRET_PARAMETER: '/chat/prod/shared',
          CHAT_JWT_ISSUER: 'https://id.example/',
        },
      ).connectAuth,
    ).toEqual({
      secretParameter: '/chat/prod/shared',
      jwtSecretParameter: '/chat/prod/jwt-key',
      jwtAudience: 'chat',
      jwtIssuer: 'https://id.example/',
    });
  });

  it('rejects anything that is not a full SSM parameter name, such as a secret itself', () => {
    for (const name of [
      'hunter2',
      'chat/prod/secret',
      '/chat//secret',
      '/chat/secret/',
      '/chat/sec ret',
      '/aws/reference/secretsmanager/chat',
      '/SSM/chat',
      `/${'a/'.repeat(15)}b`,
      `/${'a'.repeat(1011)}`,
      '',
    ]) {
      expect(() => resolve({ connectSecretParameter: name })).toThrow(/SSM SecureString parameter/);
      expect(() => resolve({}, { CHAT_CONNECT_JWT_SECRET_PARAMETER: name })).toThrow(
        /connectJwtSecretParameter must be the name/,
      );
    }
  });

  it('refuses a secret value passed as context, pointing to the parameter setting', () => {
    expect(() => resolve({ connectSecret: 'hunter2' })).toThrow(/connectSecretParameter/);
    expect(() => resolve({ connectJwtSecret: 'key' })).toThrow(/connectJwtSecretParameter/);
  });

  it('rejects JWT claims without a JWT secret, and claims with spaces or control characters', () => {
    expect(() => resolve({ jwtAudience: 'chat' })).toThrow(/connectJwtSecretParameter/);
    expect(() => resolve({ jwtIssuer: 'me' })).toThrow(/connectJwtSecretParameter/);
    const jwt = { connectJwtSecretParameter: '/chat/jwt' };
    for (const value of ['', 'two words', 'tab\there', 'x'.repeat(257)]) {
      expect(() => resolve({ ...jwt, jwtAudience: value })).toThrow(/jwtAudience/);
      expect(() => resolve({ ...jwt, jwtIssuer: value })).toThrow(/jwtIssuer/);
    }
  });

  it('leaves the site out when told, keeping the parameter its origins would come from', () => {
    expect(resolve({ site: 'off' })).toMatchObject({
      siteStackName: undefined,
      siteOriginsParameter: '/ServerlessChat-dev/site-origins',
    });
    expect(resolve({}, { CHAT_SITE: 'off' }).siteStackName).toBeUndefined();
    expect(() => resolve({ site: 'no' })).toThrow('site "no" must be "on" or "off"');
  });

  it('takes other allowed browser origins, each exactly an origin', () => {
    expect(
      resolve({ allowedOrigins: 'https://chat.example.com, http://localhost:8080' }).allowedOrigins,
    ).toEqual(['https://chat.example.com', 'http://localhost:8080']);
    expect(resolve({}, { CHAT_ALLOWED_ORIGINS: 'https://a.example' }).allowedOrigins).toEqual([
      'https://a.example',
    ]);
    for (const bad of [
      'chat.example.com',
      'https://chat.example.com/',
      'ftp://x.example',
      'https://a.example/chat',
    ]) {
      expect(() => resolve({ allowedOrigins: bad })).toThrow(
        `allowedOrigins: "${bad}" is not an origin`,
      );
    }
  });

  it('emails alarms to the address given with -c alarmEmail or CHAT_ALARM_EMAIL', () => {
    expect(resolve({ alarmEmail: 'ops@example.com' }).alarmEmail).toBe('ops@example.com');
    expect(resolve({}, { CHAT_ALARM_EMAIL: 'oncall+chat@example.co.uk' }).alarmEmail).toBe(
      'oncall+chat@example.co.uk',
    );
    expect(
      resolve({ alarmEmail: 'a@example.com' }, { CHAT_ALARM_EMAIL: 'b@example.com' }),
    ).toMatchObject({ alarmEmail: 'a@example.com' });
  });

  it('rejects an alarm email that is not one address, saying how to write it', () => {
    for (const alarmEmail of [
      '',
      'ops',
      'ops@example',
      '@example.com',
      'ops@@example.com',
      'Ops <ops@example.com>',
      'a@example.com,b@example.com',
      'ops @example.com',
      `${'a'.repeat(250)}@example.com`,
    ]) {
      expect(() => resolve({ alarmEmail })).toThrow(
        `alarmEmail "${alarmEmail}" is not an email address; write one address, such as you@example.com`,
      );
    }
  });
});
