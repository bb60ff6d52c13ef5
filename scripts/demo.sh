#!/usr/bin/env bash
# Sets anchor up on a fresh machine and renders the built-in demo show to an MP4 preview
# plus a contact sheet, then says where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bin="$(swift build -c release --show-bin-path)/anchor"
mkdir -p out
echo
"$bin" check Scripts/
echo
"$bin" preview Scripts/demo.show.md -o out/demo.mp4 --contact-sheet out/demo-sheet.png
echo
echo "Watch it:      $(pwd)/out/demo.mp4"
echo "At a glance:   $(pwd)/out/demo-sheet.png"
echo "What it says:  $bin narrate Scripts/demo.show.md"
