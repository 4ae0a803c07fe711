import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll } from 'vitest';
import { resolveSettings } from '../../../infra/settings.js';
import { createStacks } from '../../../infra/stacks.js';
import { applicationFunctions, type Resource } from './template.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthOptions {
  /** `-c` values, as on the command line. */
  context?: Record<string, unknown>;
  /** Run esbuild. Off by default: most tests read only the template. */
  bundle?: boolean;
}

/**
 * Synthesizes the chat's stacks in-process the way `cdk synth` does (cdk.json's feature flags,
 * construct paths in the template), into a temporary directory that `cleanup` removes: the
 * API's stack as `stack` and `template`, the site's (unless `-c site=off`) as `site`.
 */
export const synthChat = ({ context = {}, bundle = false }: SynthOptions = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'chat-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      'aws:cdk:enable-path-metadata': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  // No process.env: a CHAT_STAGE in the developer's shell must not change what tests see.
  const settings = resolveSettings({ context: (key) => app.node.tryGetContext(key), env: {} });
  const { chat, site } = createStacks(app, settings);
  const assembly = app.synth();
  const templateOf = (stack: Stack) =>
    Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  return {
    stack: chat,
    settings,
    template: templateOf(chat),
    site: site && { stack: site, template: templateOf(site) },
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
};

/** A synthesized chat stack with its template and output directory. */
export type Synthesized = ReturnType<typeof synthChat>;

/** A synthesized chat stack and its one application function. */
export type SynthesizedChat = Synthesized & { fnId: string; fn: Resource };

/**
 * The chat stack a test file reads: synthesized once before its tests (the returned object is
 * filled in then), its output removed after them.
 */
export const useSynth = (options: SynthOptions = {}): SynthesizedChat => {
  const synth = {} as SynthesizedChat;
  beforeAll(() => {
    const synthesized = synthChat(options);
    const [fnId] = applicationFunctions(synthesized.stack) as [string];
    const fn = synthesized.template.toJSON().Resources[fnId] as Resource;
    Object.assign(synth, synthesized, { fnId, fn });
  });
  afterAll(() => synth.cleanup?.());
  return synth;
};
