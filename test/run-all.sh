#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test.
set -eu
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash test/ensure-peers.sh
mkdir -p test-artifacts
exec npx vitest run --config test/vitest.config.ts "$@"
