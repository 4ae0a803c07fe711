import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../infra/settings.js';
import { useSynth } from './support/synth.js';
import { actionsOf, allStatements, parameterArn } from './support/template.js';

const resolve = (context: Record<string, string> = {}, env: Record<string, string> = {}) =>
  resolveSettings({ context: (key) => context[key], env });

const synth = useSynth({ context: { stage: 'test', pepperParameter: '/chat/test/pepper' } });

describe('the pepper in SSM Parameter Store', () => {
  it('is set by -c pepperParameter= or CHAT_PEPPER_PARAMETER, as a parameter’s name only', () => {
    expect(resolve({ pepperParameter: '/chat/prod/pepper' }).connectAuth.pepperParameter).toBe(
      '/chat/prod/pepper',
    );
    expect(resolve({}, { CHAT_PEPPER_PARAMETER: '/chat/env/pepper' }).connectAuth).toMatchObject({
      pepperParameter: '/chat/env/pepper',
    });
    expect(resolve().connectAuth.pepperParameter).toBeUndefined();
    expect(() => resolve({ pepperParameter: 'a pepper itself' })).toThrow(
      /pepperParameter must be the name of an SSM SecureString parameter/,
    );
    expect(() => resolve({ pepper: 'hunter2' })).toThrow(/-c pepperParameter=/);
  });

  it('reaches the function as PEPPER_PARAMETER, which it may read with GetParameter', () => {
    const env = (synth.fn.Properties as { Environment: { Variables: Record<string, unknown> } })
      .Environment.Variables;
    expect(env).toMatchObject({ PEPPER_PARAMETER: '/chat/test/pepper' });
    expect(env).not.toHaveProperty('PEPPER');
    const reads = allStatements(synth.template).filter((s) =>
      actionsOf(s).includes('ssm:GetParameter'),
    );
    const resources = reads.flatMap((s) => (s as { Resource: unknown[] }).Resource);
    expect(resources.map((arn) => JSON.stringify(arn))).toContain(
      JSON.stringify(parameterArn('/chat/test/pepper')),
    );
  });
});
