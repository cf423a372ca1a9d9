import envPaths from 'env-paths';
import path from 'node:path';

/** `--data` if given, else $CAIRN_HOME, else the platform's app-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.CAIRN_HOME) return path.resolve(env.CAIRN_HOME);
  return envPaths('cairn', { suffix: '' }).data;
}
