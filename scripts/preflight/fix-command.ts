const quoted = (arg: string) =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * The deploy to run instead: the user's own arguments with `-c key=value` in place of any value
 * they gave `key` (however they wrote it, see `contextArguments`), so the fix pastes as it is.
 */
export const deployWith = (args: readonly string[], key: string, value: string) => {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const separate = arg === '-c' || arg === '--context';
    const pair = separate ? args[index + 1] : /^--context=(.*)$/.exec(arg)?.[1];
    if (pair?.startsWith(`${key}=`)) {
      if (separate) index++;
      continue;
    }
    kept.push(arg);
  }
  return ['npm run deploy --', ...kept.map(quoted), '-c', `${key}=${value}`].join(' ');
};
