import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Makes `dir` ready to hold DynamoDB Local's data: creates it (and its parents) when missing,
 * and refuses, saying what to do, a path that is a file or a directory this user cannot write.
 * Returns its absolute path.
 */
export const prepareDataDir = (dir: string): string => {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new Error(
        `--data ${dir}: ${path} (or a folder above it) is a file, not a directory. ` +
          'Give --data a directory (it is created when missing), or move the file away.',
      );
    }
    throw new Error(
      `--data ${dir}: cannot create ${path} (${code ?? String(error)}). ` +
        'Choose a directory you can write to, or create it yourself.',
    );
  }
  if (!statSync(path).isDirectory()) {
    throw new Error(`--data ${dir}: ${path} is not a directory. Give --data a directory.`);
  }
  try {
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new Error(
      `--data ${dir}: ${path} is not writable by this user. ` +
        `Fix its permissions (e.g. \`chmod u+rwx ${path}\`) or choose another directory.`,
    );
  }
  return path;
};
