#!/usr/bin/env bash
# Installs what the tests need (see setup.sh), builds, and runs the whole test suite.
# This is the command CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-build
if [ ! -f ../shared/fixtures/catalog.json ]; then
  echo "test: ../shared/fixtures/catalog.json is missing; the tests read the shared fixtures beside this checkout" >&2
  exit 1
fi
echo "test: building (debug)…"
swift build --build-tests
echo "test: running the suite…"
swift test --skip-build
