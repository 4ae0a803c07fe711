/** Reads a V8 CPU profile and says where the time went: which side, and which functions. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * First matching rule from the sampled frame up to the root decides the side. Node's shared
 * internals (streams, sockets, the HTTP parser) are passed over until a frame decides, so the
 * HTTP server's work counts for the emulator and the HTTP client's for the handler.
 */
const RULES: [RegExp, string][] = [
  [/\/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//, 'handler: AWS SDK'],
  [/\/src\//, 'handler: our code'],
  [/node:_http_(client|agent)$/, 'handler: node http client'],
  [/\/node_modules\/ws\//, 'emulator: ws (frames to clients)'],
  [/\/local\/emulator\//, 'emulator: its code'],
  [/node:_http_server$/, 'emulator: node http server'],
  [/\/local\//, 'local stack'],
  [/\/node_modules\/(@middy|valibot)\//, 'handler: middy, valibot'],
  [/^node:inspector$/, 'profiler itself'],
  [/\/bench\//, 'bench instrumentation'],
];

const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(idle)', 'idle (waiting)'],
  ['(program)', 'native, unattributed'],
]);

export const summarizeProfile = (profile: CpuProfile) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    const node = byId.get(id) as ProfileNode;
    let category = SPECIAL.get(node.callFrame.functionName);
    if (!category) {
      const rule = RULES.find(([pattern]) => pattern.test(node.callFrame.url));
      const up = parent.get(id);
      category = rule?.[1] ?? (up === undefined ? 'node internals, unattributed' : classify(up));
    }
    categoryOf.set(id, category);
    return category;
  };
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const category = classify(id);
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const where = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
  });
  const total = (profile.endTime - profile.startTime) / 1000;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, categories: sorted(categories), functions: sorted(functions) };
};
