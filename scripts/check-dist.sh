#!/usr/bin/env bash
# Rebuilds the bundles and fails when they differ from the committed ones, printing the difference:
# a stale dist/ would ship code nobody reviewed. It builds first (as codeql-action's check-js.sh does),
# so it cannot pass on a tree that was never rebuilt; `pnpm verify` relies on it for the build.
#
#   scripts/check-dist.sh              rebuild every action, compare every actions/*/dist
#   scripts/check-dist.sh NAME...      rebuild and compare only these actions
#
# The comparison is against the commit (HEAD): a rebuilt but uncommitted dist/ fails too.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/build.mjs "$@"

# Pathspecs: a bare 'actions/*/dist' matches no file (git matches a wildcard against whole paths), so the
# check compared nothing and always passed; ':(glob)' with '**' matches every file under each dist/.
paths=()
if [ "$#" -eq 0 ]; then
  paths=(':(glob)actions/*/dist/**')
else
  for name in "$@"; do paths+=("actions/$name/dist"); done
fi

status="$(git status --porcelain --untracked-files=all -- "${paths[@]}")"
if [ -n "$status" ]; then
  echo "::error::the committed bundles differ from a fresh build (below): run 'pnpm build' and commit actions/*/dist."
  echo "$status"
  git --no-pager diff --stat -- "${paths[@]}"
  git --no-pager diff --text -- "${paths[@]}" | head -c 4000; echo
  exit 1
fi
echo "dist/ is fresh: the committed bundles match a fresh build."
