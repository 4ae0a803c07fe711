import { findCycle } from '../../support/find-cycle.js';

/**
 * Finds a circular dependency between a template's resources, which CloudFormation rejects at
 * deploy time but `cdk synth` does not notice. Edges: `Ref`, `Fn::GetAtt`, `${...}` in
 * `Fn::Sub`, and `DependsOn`. Returns the cycle's logical ids, or undefined when there is none.
 */
export const findResourceCycle = (resources: Record<string, unknown>): string[] | undefined => {
  const ids = new Set(Object.keys(resources));
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>();
    collect(resource, targets);
    edges.set(id, new Set([...targets].filter((target) => ids.has(target))));
  }
  return findCycle(edges);
};

const collect = (node: unknown, into: Set<string>): void => {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Ref' && typeof value === 'string') into.add(value);
    else if (key === 'Fn::GetAtt') {
      const target = Array.isArray(value) ? value[0] : String(value).split('.')[0];
      if (typeof target === 'string') into.add(target);
    } else if (key === 'Fn::Sub') {
      const text = Array.isArray(value) ? value[0] : value;
      for (const match of String(text).matchAll(/\$\{([^}.!]+)[^}]*\}/g)) {
        if (match[1]) into.add(match[1]);
      }
    } else if (key === 'DependsOn') {
      for (const target of Array.isArray(value) ? value : [value]) into.add(String(target));
    }
    collect(value, into);
  }
};
