import { describe, expect, it } from 'vitest';
import { findResourceCycle } from './support/dependency-graph.js';

describe('findResourceCycle', () => {
  it('finds a cycle through Ref and Fn::GetAtt', () => {
    const cycle = findResourceCycle({
      Role: { Type: 'AWS::IAM::Role' },
      Policy: {
        Properties: { Resource: { 'Fn::GetAtt': ['Function', 'Arn'] }, Roles: [{ Ref: 'Role' }] },
      },
      Function: { Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } }, DependsOn: ['Policy'] },
    });
    expect(cycle).toEqual(expect.arrayContaining(['Policy', 'Function']));
    expect(cycle?.[0]).toBe(cycle?.at(-1));
  });

  it('finds a cycle through a Fn::Sub placeholder', () => {
    expect(
      findResourceCycle({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
        A: { Properties: { Name: { 'Fn::Sub': 'x-${B.Arn}-${AWS::Region}' } } },
        B: { Properties: { Name: { Ref: 'A' } } },
      }),
    ).toBeDefined();
  });

  it('accepts a graph whose edges all point one way', () => {
    expect(
      findResourceCycle({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
        A: { Properties: { X: { Ref: 'B' }, Y: { 'Fn::Sub': '${!Literal}-${C}' } } },
        B: { Properties: { X: { Ref: 'C' }, Region: { Ref: 'AWS::Region' } } },
        C: { Type: 'AWS::SNS::Topic' },
      }),
    ).toBeUndefined();
  });
});
