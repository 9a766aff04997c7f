// Reference pages of the reusable workflows (.github/workflows/*.yml with `on: workflow_call`), for
// scripts/docs.mjs: inputs, secrets, outputs, and the permissions a caller must grant (the widest of
// what the jobs declare), so a caller's job can grant exactly that.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';

const WORKFLOWS_DIRECTORY = '.github/workflows';
const LEVEL = { none: 0, read: 1, write: 2 };

/** @returns {{ name: string, file: string, metadata?: Record<string, any>, problems: { file: string, line?: number, message: string }[] }[]} */
export function readWorkflows(root) {
  const directory = path.join(root, WORKFLOWS_DIRECTORY);
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => readWorkflow(root, `${WORKFLOWS_DIRECTORY}/${file}`))
    .filter((workflow) => workflow !== undefined);
}

function readWorkflow(root, file) {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(path.join(root, file), 'utf8'), { lineCounter, prettyErrors: false });
  if (document.errors.length > 0 || !isMap(document.contents)) return undefined; // the workflow lint reports these
  const metadata = document.toJS();
  const call = metadata.on?.workflow_call;
  if (call === undefined) return undefined;
  const name = path.basename(file).replace(/\.ya?ml$/, '');
  const problems = [];
  const lineOf = (keys) => {
    const node = document.getIn(keys, true);
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  for (const section of ['inputs', 'secrets', 'outputs']) {
    for (const [key, definition] of Object.entries(call?.[section] ?? {})) {
      if (typeof definition?.description !== 'string' || definition.description.trim() === '') {
        problems.push({ file, line: lineOf(['on', 'workflow_call', section, key]), message: `${section.slice(0, -1)} "${key}" has no description` });
      }
    }
  }
  return { name, file, metadata, problems };
}

/** The permissions a caller's job must grant: for each scope, the widest any job of the workflow declares. */
export function requiredPermissions(metadata) {
  const widest = {};
  const add = (permissions) => {
    if (!permissions || typeof permissions !== 'object') return;
    for (const [scope, level] of Object.entries(permissions)) {
      if ((LEVEL[level] ?? 0) > (LEVEL[widest[scope]] ?? 0)) widest[scope] = level;
    }
  };
  add(metadata.permissions);
  for (const job of Object.values(metadata.jobs ?? {})) add(job?.permissions);
  return Object.fromEntries(Object.entries(widest).sort(([a], [b]) => a.localeCompare(b)));
}

/** @param {{ cell: (text: string) => string, literal: (value: string) => string, marker: string, usesPrefix: string, usesRef: string }} format */
export function renderWorkflowPage(workflow, format) {
  const { name, file, metadata } = workflow;
  const call = metadata.on.workflow_call ?? {};
  const inputs = Object.entries(call.inputs ?? {});
  const secrets = Object.entries(call.secrets ?? {});
  const outputs = Object.entries(call.outputs ?? {});
  const permissions = requiredPermissions(metadata);
  // The comment block at the top of the file (after `name:`) says what the workflow is for.
  const header = [];
  for (const line of readFileSync(path.join(workflow.root, file), 'utf8').split('\n')) {
    if (line.startsWith('#')) header.push(line.replace(/^#\s?/, ''));
    else if (line.trim() !== '' && !line.startsWith('name:')) break;
  }
  const lines = [`${format.marker} ${file}. Edit the workflow, then run \`pnpm run docs\`. -->`, '', `# Reusable workflow: ${name}`, ''];
  if (metadata.name) lines.push(`**${metadata.name}**`, '');
  if (header.length > 0) lines.push(format.cell(header.join(' ')), '');
  lines.push('## Usage', '', '```yaml', 'jobs:', `  ${name}:`, `    uses: ${format.usesPrefix}/${file}@${format.usesRef}`);
  if (Object.keys(permissions).length > 0) {
    lines.push('    permissions:');
    for (const [scope, level] of Object.entries(permissions)) lines.push(`      ${scope}: ${level}`);
  }
  const mustSet = inputs.filter(([, definition]) => definition?.required === true && definition?.default === undefined);
  if (mustSet.length > 0) {
    lines.push('    with:');
    for (const [key] of mustSet) lines.push(`      ${key}: <${key}>`);
  }
  if (secrets.length > 0) {
    lines.push('    secrets:');
    for (const [key] of secrets) lines.push(`      ${key}: \${{ secrets.${key} }}`);
  }
  lines.push('```', '');
  lines.push('## Permissions', '');
  if (Object.keys(permissions).length === 0) lines.push('None beyond the default read of the repository.', '');
  else {
    lines.push('The caller\'s job grants at most these; each job of the workflow takes only what it uses:', '', '| Scope | Access | Used by |', '| --- | --- | --- |');
    for (const [scope, level] of Object.entries(permissions)) {
      const users = Object.entries(metadata.jobs ?? {})
        .filter(([, job]) => job?.permissions && typeof job.permissions === 'object' && job.permissions[scope] !== undefined && job.permissions[scope] !== 'none')
        .map(([id]) => `\`${id}\``);
      lines.push(`| \`${scope}\` | ${level} | ${users.join(', ')} |`);
    }
    lines.push('');
  }
  lines.push('## Inputs', '');
  if (inputs.length === 0) lines.push('None.', '');
  else {
    lines.push('| Name | Type | Description | Required | Default |', '| --- | --- | --- | --- | --- |');
    for (const [key, definition] of inputs) {
      const fallback = definition?.default === undefined ? '' : format.literal(String(definition.default));
      lines.push(`| \`${key}\` | ${definition?.type ?? 'string'} | ${format.cell(definition?.description)} | ${definition?.required === true ? 'yes' : 'no'} | ${fallback} |`);
    }
    lines.push('');
  }
  lines.push('## Secrets', '');
  if (secrets.length === 0) lines.push('None.', '');
  else {
    lines.push('| Name | Description | Required |', '| --- | --- | --- |');
    for (const [key, definition] of secrets) lines.push(`| \`${key}\` | ${format.cell(definition?.description)} | ${definition?.required === true ? 'yes' : 'no'} |`);
    lines.push('');
  }
  lines.push('## Outputs', '');
  if (outputs.length === 0) lines.push('None.', '');
  else {
    lines.push('| Name | Description |', '| --- | --- |');
    for (const [key, definition] of outputs) lines.push(`| \`${key}\` | ${format.cell(definition?.description)} |`);
    lines.push('', `Read an output as \`\${{ needs.${name}.outputs.<name> }}\`.`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
