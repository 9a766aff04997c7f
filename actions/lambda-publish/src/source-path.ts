/**
 * Where a zip source is, checked: inside the workspace (no symlink out) and of
 * the right kind. getInputs checks it before any AWS request is made, and the
 * package is read from what it returns.
 */
import { resolveInputPath } from '@deploy-suite/kit';
import { FunctionInput } from './constants.js';
import type { FunctionSpec } from './spec.js';

/** The absolute path of a `zip-directory` or `zip-file` source; undefined for the other sources. */
export function sourcePath(spec: FunctionSpec): string | undefined {
  const { source } = spec;
  if (source.kind === 'zip-directory') return resolveInputPath(spec.inputName(FunctionInput.ZipDirectory), source.path, { mustBe: 'directory' });
  if (source.kind === 'zip-file') return resolveInputPath(spec.inputName(FunctionInput.ZipFile), source.path, { mustBe: 'file' });
  return undefined;
}
