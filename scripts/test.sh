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
# Release mode with testable imports, in a build folder of its own (.build-test, so the
# release build setup.sh makes for use is not rebuilt back and forth): the live CLI tests run
# the optimized binary, as on air, with no per-target optimization flags in Package.swift.
scratch=.build-test
echo "test: building (release, with testable imports, in $scratch)…"
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch"
echo "test: running the suite…"
swift test -c release --skip-build --scratch-path "$scratch"
