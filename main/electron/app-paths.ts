import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the app's files are, from the compiled main.js upwards: the package
 * root (the folder with package.json, inside app.asar when packaged) and its
 * renderer build.
 */
export function findPackageRoot(from: string, exists: (p: string) => boolean = existsSync): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function rendererDirOf(packageRoot: string): string {
  return path.join(packageRoot, 'renderer', 'dist');
}
