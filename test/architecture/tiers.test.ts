import { matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { testFiles, usesOf } from '../support/tiers.js';

interface Project {
  name: string;
  include: string[];
  exclude: string[];
}

// The projects as vitest.config.ts declares them: what `npm run test:unit` and friends select.
const projects: Project[] = (config.test?.projects ?? []).map((project) => {
  if (typeof project !== 'object' || !('test' in project)) {
    throw new Error('each tier is a project written inline in vitest.config.ts');
  }
  return {
    name: project.test?.name?.toString() ?? '',
    include: project.test?.include ?? [],
    exclude: project.test?.exclude ?? [],
  };
});

const matches = (file: string, { include, exclude }: Project) =>
  include.some((glob) => matchesGlob(file, glob)) &&
  !exclude.some((glob) => matchesGlob(file, glob));

const filesOf = (name: string) => {
  const project = projects.find((candidate) => candidate.name === name);
  return project ? testFiles().filter((file) => matches(file, project)) : [];
};

describe('the test tiers', () => {
  it('are the projects unit, integration and e2e', () => {
    expect(projects.map(({ name }) => name)).toEqual(['unit', 'integration', 'e2e']);
  });

  it('put every test file in exactly one of them', () => {
    const notInOne = testFiles()
      .map((file) => ({
        file,
        tiers: projects.filter((project) => matches(file, project)).map(({ name }) => name),
      }))
      .filter(({ tiers }) => tiers.length !== 1);
    expect(notInOne).toEqual([]);
  });

  it('keep DynamoDB Local, Chromium, the emulator and child processes out of unit', () => {
    const unit = filesOf('unit');
    expect(unit).not.toEqual([]);
    const heavy = unit
      .map((file) => ({ file, uses: usesOf(file) }))
      .filter(({ uses }) => uses.dynamoDbLocal || uses.browser || uses.emulator || uses.processes);
    expect(heavy).toEqual([]);
  });

  it('keep Chromium, the emulator and child processes out of integration', () => {
    const integration = filesOf('integration');
    expect(integration).not.toEqual([]);
    const heavy = integration
      .map((file) => ({ file, uses: usesOf(file) }))
      .filter(({ uses }) => uses.browser || uses.emulator || uses.processes);
    expect(heavy).toEqual([]);
  });
});

describe('what a test file uses', () => {
  it('is found behind the helpers that hide it', () => {
    expect(usesOf('test/support/chat-server.ts')).toMatchObject({
      emulator: true,
      dynamoDbLocal: true,
    });
    expect(usesOf('test/support/table.ts')).toMatchObject({ dynamoDbLocal: true, emulator: false });
    expect(usesOf('test/support/handler-harness.ts')).toMatchObject({
      dynamoDbLocal: true,
      handlerHarness: true,
      emulator: false,
    });
    expect(usesOf('test/client/browser.ts')).toMatchObject({ browser: true });
    expect(usesOf('test/local/fixtures/processes.ts')).toMatchObject({ processes: true });
  });

  it('is nothing of these for a module of the protocol', () => {
    expect(usesOf('src/protocol/frames.ts')).toEqual({
      emulator: false,
      browser: false,
      processes: false,
      dynamoDbLocal: false,
      handlerHarness: false,
    });
  });
});
