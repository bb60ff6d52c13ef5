#!/usr/bin/env bash
# Sets anchor up on a fresh machine and runs it on the built-in demo show.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bin="$(swift build -c release --show-bin-path)/anchor"
echo
"$bin" check Scripts/
echo
"$bin" narrate Scripts/demo.show.md
