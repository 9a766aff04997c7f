/**
 * Path inputs stay inside the directory the user works in (the workspace, or a
 * documented base): a relative path that climbs out of it, or a symlink on the
 * way that points out of it, is an input error naming the input. Absolute paths
 * are allowed only where an action says why (e.g. `${{ runner.temp }}`).
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.js';

export interface PathOptions {
  /** The directory relative paths resolve against and must stay inside; default GITHUB_WORKSPACE or the cwd. */
  base?: string;
  /** Accept an absolute path anywhere (the action documents why). Default false: absolute paths must be inside base too. */
  allowAbsolute?: boolean;
  /** What must be there: `file`, `directory`, or `any` (exists); omitted: nothing is checked. */
  mustBe?: 'file' | 'directory' | 'any';
}

export function workspaceDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_WORKSPACE || process.cwd();
}

/** True when `target` is `directory` or inside it (both absolute, normalised). */
export function isInside(directory: string, target: string): boolean {
  const relative = path.relative(directory, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of the longest existing prefix of `target`, plus the part that does not exist yet. */
function realpathOfExisting(target: string): string {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return target;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Resolves a path input against the base and checks it stays there, symlinks
 * included. Returns the absolute (not symlink-resolved) path.
 */
export function resolveInputPath(name: string, value: string, options: PathOptions = {}): string {
  const base = path.resolve(options.base ?? workspaceDirectory());
  const resolved = path.resolve(base, value);
  const absoluteAllowed = options.allowAbsolute === true && path.isAbsolute(value);
  if (!absoluteAllowed) {
    if (!isInside(base, resolved)) {
      throw new ConfigurationError(`input "${name}" must be a path inside the workspace (${base}), got "${value}", which is outside it`);
    }
    const realBase = realpathOfExisting(base);
    if (!isInside(realBase, realpathOfExisting(resolved))) {
      throw new ConfigurationError(`input "${name}" must stay inside the workspace (${base}): "${value}" goes through a symlink that points outside it`);
    }
  }
  if (options.mustBe) {
    const stats = statSync(resolved, { throwIfNoEntry: false });
    if (!stats) throw new ConfigurationError(`input "${name}": no ${options.mustBe === 'any' ? 'file or directory' : options.mustBe} "${value}" in ${base}`);
    if (options.mustBe === 'file' && !stats.isFile()) throw new ConfigurationError(`input "${name}" must be a file, and "${value}" is not one`);
    if (options.mustBe === 'directory' && !stats.isDirectory()) throw new ConfigurationError(`input "${name}" must be a directory, and "${value}" is not one`);
  }
  return resolved;
}
