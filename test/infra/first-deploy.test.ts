import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asText } from './support/intrinsics.js';
import { type Synthesized, synthChat } from './support/synth.js';
import type { Resource } from './support/template.js';

/**
 * What can break a first deploy, or the same stage in a second Region, proven on the templates
 * the app synthesizes for two stages (the longest a stage may be, and dev), site on and off.
 */
const LONGEST_STAGE = 'a-stage-named-twenty';
const REGIONS = ['eu-west-1', 'ap-southeast-7'];

const synths: Record<string, Synthesized> = {};
beforeAll(() => {
  for (const stage of ['dev', LONGEST_STAGE]) {
    for (const site of ['on', 'off'])
      synths[`${stage}/${site}`] = synthChat({ context: { stage, site } });
  }
});
afterAll(() => {
  for (const synth of Object.values(synths)) synth.cleanup();
});
const templates = (synth: Synthesized) => [
  synth.template,
  ...(synth.site ? [synth.site.template] : []),
];

/**
 * Where a physical name we choose sits in a resource's properties, and how unique CloudFormation
 * needs it: `account` across every Region (CloudFront is global), `region` within one. A name
 * any other resource carries makes the test fail until it is listed here.
 */
const NAMES: Record<
  string,
  { path: string[]; unique: 'account' | 'region' | 'none'; max: number }
> = {
  'AWS::Lambda::Function': { path: ['FunctionName'], unique: 'region', max: 64 },
  'AWS::SSM::Parameter': { path: ['Name'], unique: 'region', max: 1011 },
  'AWS::ApiGatewayV2::Api': { path: ['Name'], unique: 'none', max: 128 },
  'AWS::CloudWatch::Alarm': { path: ['AlarmName'], unique: 'region', max: 255 },
  'AWS::CloudWatch::Dashboard': { path: ['DashboardName'], unique: 'account', max: 255 },
  'AWS::CloudFront::OriginAccessControl': {
    path: ['OriginAccessControlConfig', 'Name'],
    unique: 'account',
    max: 64,
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    path: ['ResponseHeadersPolicyConfig', 'Name'],
    unique: 'account',
    max: 128,
  },
};
/** Keys ending in "Name" that name no resource of their own. */
const NOT_PHYSICAL = new Set(['AttributeName', 'PolicyName', 'StageName', 'MetricName']);
/** Keys whose values describe metrics (an alarm's), where `Name` names a dimension. */
const METRIC_KEYS = new Set(['Dimensions', 'Metrics']);
/** A value that only points at another resource or stack. */
const isReference = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  ['Ref', 'Fn::GetAtt', 'Fn::GetStackOutput'].some((fn) => fn in value);

interface PhysicalName {
  type: string;
  /** The chat API's stack name: the site's stack name, and every name, starts with it. */
  stack: string;
  text: string;
}
/** Every name a template sets for a resource, as text with `{Ref:AWS::Region}` still in it. */
const physicalNames = (synth: Synthesized): PhysicalName[] => {
  const found: PhysicalName[] = [];
  const stack = synth.stack.stackName;
  for (const template of templates(synth)) {
    for (const resource of Object.values(template.toJSON().Resources as Record<string, Resource>)) {
      const walk = (value: unknown, path: string[]) => {
        if (Array.isArray(value)) {
          for (const item of value) walk(item, path);
          return;
        }
        if (typeof value !== 'object' || value === null || isReference(value)) return;
        for (const [key, inner] of Object.entries(value)) {
          if (key.startsWith('Fn::') || METRIC_KEYS.has(key)) continue;
          if (key.endsWith('Name') && !NOT_PHYSICAL.has(key) && !isReference(inner)) {
            expect({ type: resource.Type, path: [...path, key] }).toEqual({
              type: resource.Type,
              path: NAMES[resource.Type]?.path,
            });
            found.push({ type: resource.Type, stack, text: asText(inner) });
          }
          walk(inner, [...path, key]);
        }
      };
      walk(resource.Properties, []);
    }
  }
  return found;
};
const inRegion = (name: PhysicalName, region: string) =>
  name.text.replaceAll('{Ref:AWS::Region}', region);

describe('the chat API’s stack', () => {
  it('synthesizes without the site, and is the same with the site on or off', () => {
    for (const stage of ['dev', LONGEST_STAGE]) {
      const on = synths[`${stage}/on`] as Synthesized;
      const off = synths[`${stage}/off`] as Synthesized;
      expect(off.site).toBeUndefined();
      // The same resources; with the site on, one more output: the API id the site reads.
      const { Resources, Outputs } = on.template.toJSON();
      expect(off.template.toJSON().Resources).toEqual(Resources);
      const published = Object.keys(Outputs).filter(
        (key) => !(key in off.template.toJSON().Outputs),
      );
      expect(published).toEqual([expect.stringMatching(/^PublishOutputRefApi/)]);
      expect(on.stack.dependencies).toEqual([]);
    }
  });

  it('refers to nothing of CloudFront, S3 or the site’s stack', () => {
    const text = JSON.stringify((synths['dev/on'] as Synthesized).template.toJSON());
    expect(text).not.toMatch(/CloudFront|cloudfront|AWS::S3::|Distribution/);
    expect(text).not.toContain('ServerlessChat-dev-site');
    expect(text).not.toContain('Fn::ImportValue');
  });
});

describe('every physical name', () => {
  const all = () => Object.values(synths).flatMap(physicalNames);

  it('is one the test knows, and includes its stage’s stack name', () => {
    const names = all();
    expect(new Set(names.map((name) => name.type))).toEqual(new Set(Object.keys(NAMES)));
    for (const name of names) expect(name.text).toContain(name.stack);
  });

  it('that must be unique in the account includes the Region too, and differs per stage and Region', () => {
    const global = all().filter((name) => NAMES[name.type]?.unique === 'account');
    expect(global.length).toBeGreaterThan(0);
    for (const name of global) expect(name.text).toContain('{Ref:AWS::Region}');
    const byType = Object.groupBy(global, (name) => name.type);
    for (const names of Object.values(byType)) {
      const distinct = new Set(
        (names ?? []).flatMap((name) => REGIONS.map((region) => inRegion(name, region))),
      );
      const stages = new Set((names ?? []).map((name) => name.stack)).size;
      expect(stages).toBe(2);
      expect(distinct.size).toBe(REGIONS.length * stages);
    }
  });

  it('fits its resource’s limit, for the longest stage and Region', () => {
    for (const name of all()) {
      const longest = inRegion(name, 'ap-southeast-7');
      expect(longest.length, longest).toBeLessThanOrEqual(NAMES[name.type]?.max ?? 0);
    }
  });
});
