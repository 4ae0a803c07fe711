import { resolveSettings } from './settings.js';

/** Where `npm run deploy` writes the chat API's outputs (`npm run smoke` reads them). */
export const OUTPUTS_FILE = 'cdk.out/outputs.json';
/** Where it writes the site's. */
export const SITE_OUTPUTS_FILE = 'cdk.out/site-outputs.json';

/** The `-c key=value` (`--context key=value`, `--context=key=value`) pairs among CLI arguments. */
export const contextArguments = (args: readonly string[]) => {
  const context: Record<string, string> = {};
  for (const [index, arg] of args.entries()) {
    const inline = /^--context=(.*)$/.exec(arg)?.[1];
    const pair = inline ?? (arg === '-c' || arg === '--context' ? args[index + 1] : undefined);
    const at = pair?.indexOf('=') ?? -1;
    if (pair !== undefined && at > 0) context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
};

/** One `cdk deploy` of the plan: which stack, its arguments, and what it is for. */
export interface DeployStep {
  stackName: string;
  args: string[];
  part: 'chat' | 'site';
}

/**
 * `npm run deploy [-- cdk arguments]`: the chat API's stack, then the site's, each its own
 * `cdk deploy --exclusively` with its own outputs file, so that a site CloudFront refuses rolls
 * back alone and the API's outputs are written whatever happens to the site. The settings come
 * from the same `-c` values and environment as the app's.
 */
export const deployPlan = (args: readonly string[], env: NodeJS.ProcessEnv): DeployStep[] => {
  const context = contextArguments(args);
  const settings = resolveSettings({ context: (key) => context[key], env });
  const deploy = (stackName: string, outputsFile: string) => [
    'deploy',
    stackName,
    '--exclusively',
    '--require-approval',
    'never',
    '--outputs-file',
    outputsFile,
    ...args,
  ];
  const steps: DeployStep[] = [
    { stackName: settings.stackName, args: deploy(settings.stackName, OUTPUTS_FILE), part: 'chat' },
  ];
  if (settings.siteStackName !== undefined) {
    steps.push({
      stackName: settings.siteStackName,
      args: deploy(settings.siteStackName, SITE_OUTPUTS_FILE),
      part: 'site',
    });
  }
  return steps;
};
