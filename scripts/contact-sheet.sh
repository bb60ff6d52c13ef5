#!/usr/bin/env bash
# Renders docs/avatars.png: both avatars at moments of the demo shows (landscape and portrait).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)/anchor"
[ -x "$bin" ] || swift build -c release --product anchor
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for avatar in mika juno; do
  i=0
  for at in 2.1s 8.5s 16.2s 24.4s; do
    "$bin" frame Scripts/demo.show.md --avatar "$avatar" --at "$at" --size 640x360 -o "$tmp/$avatar-$i.png" >/dev/null
    i=$((i + 1))
  done
  "$bin" frame Scripts/demo-zh.show.md --avatar "$avatar" --at 14s --size 360x640 -o "$tmp/$avatar-p.png" >/dev/null
  ffmpeg -v error -y -i "$tmp/$avatar-0.png" -i "$tmp/$avatar-1.png" -i "$tmp/$avatar-2.png" -i "$tmp/$avatar-3.png" -i "$tmp/$avatar-p.png" \
    -filter_complex "[0][1]hstack[top];[2][3]hstack[bottom];[top][bottom]vstack[grid];[4]scale=-1:720[p];[grid][p]hstack" "$tmp/$avatar.png"
done
ffmpeg -v error -y -i "$tmp/mika.png" -i "$tmp/juno.png" -filter_complex vstack docs/avatars.png
echo "wrote docs/avatars.png"
