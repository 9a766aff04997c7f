#!/usr/bin/env bash
# Fails when the committed bundles differ from a fresh build (run `pnpm build` first),
# printing the difference: a stale dist/ would ship code nobody reviewed.
set -euo pipefail
cd "$(dirname "$0")/.."
status="$(git status --porcelain --untracked-files=all -- 'actions/*/dist')"
if [ -n "$status" ]; then
  echo "::error::actions/*/dist is stale: run 'pnpm build' and commit the result."
  echo "$status"
  git --no-pager diff --stat -- 'actions/*/dist'
  git --no-pager diff --text -- 'actions/*/dist' | head -c 20000
  exit 1
fi
echo "dist/ is fresh: the committed bundles match a clean build."
