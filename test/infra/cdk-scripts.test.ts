import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The package's scripts that run the CDK CLI directly: `cdk <command> [options]`. */
const cdkScripts = () => {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  return Object.entries(scripts).flatMap(([name, line]) => {
    const [tool, command, ...rest] = line.split(/\s+/);
    return tool === 'cdk' && command ? [{ name, command, options: rest.filter(isOption) }] : [];
  });
};

const isOption = (word: string) => word.startsWith('--');

/** The options the installed CLI lists for `command`, from its own --help. */
const optionsOf = (command: string) => {
  const help = execFileSync('node_modules/.bin/cdk', [command, '--help'], { encoding: 'utf8' });
  return new Set(help.match(/(?<=^\s+|, )--[a-z][a-z-]*/gm));
};

describe('the cdk scripts of package.json', () => {
  it('include npm run synth and npm run destroy', () => {
    expect(cdkScripts().map(({ name }) => name)).toEqual(
      expect.arrayContaining(['synth', 'destroy']),
    );
  });

  it('pass only options the installed CDK CLI lists for their command', () => {
    for (const { name, command, options } of cdkScripts()) {
      const known = optionsOf(command);
      expect(known.size, `cdk ${command} --help lists options`).toBeGreaterThan(5);
      expect(
        options.filter((option) => !known.has(option.split('=')[0] as string)),
        `npm run ${name}`,
      ).toEqual([]);
    }
  });
});
