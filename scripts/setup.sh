#!/usr/bin/env bash
# Installs every Debian package anchor and its tests need, then builds anchor.
# Idempotent: packages already present are not touched; a second run only rebuilds.
#   scripts/setup.sh            install packages, build release (.build/release/anchor)
#   scripts/setup.sh --no-build install packages only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  pkg-config git ca-certificates
  # media C libraries (issues 3-7)
  libsqlite3-dev libespeak-ng-dev espeak-ng libebur128-dev libopus-dev libx264-dev libx265-dev
  libavcodec-dev libavformat-dev libavutil-dev libswresample-dev libswscale-dev
  libcairo2-dev libpango1.0-dev librsvg2-dev fonts-noto-cjk fonts-dejavu-core
  # real tools the tests check our output with
  ffmpeg sox nginx libnginx-mod-rtmp libnginx-mod-stream openssl curl
  # a real IRC server for the chat connector (Twitch chat is IRC); python3 for test clients
  ngircd python3
  # zlib and brotli for Bilibili danmaku bodies; the fake danmaku server the tests run (Debian python3)
  zlib1g-dev libbrotli-dev python3-websockets python3-brotli
  # a fault the tests inject: a database another process keeps locked
  sqlite3
  # a venv for test receivers from PyPI (PyAV's FFmpeg 8 reads Enhanced RTMP; Debian's 5.1 does not)
  python3-venv
  # WebRTC (WHIP): DTLS from the system OpenSSL, SRTP from libsrtp2
  libssl-dev libsrtp2-dev
  # the operator console, report and replay page are tested in a real headless browser
  chromium chromium-driver python3-selenium
)

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  # Keep package scripts from starting system services (nginx on :80); tests start their own.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && added_policy=1
  fi
  trap '[ "$added_policy" = 1 ] && $SUDO rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: packages installed"
else
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
fi

# Test receivers from PyPI, in a venv beside the build (.build-venv, kept out of git): PyAV,
# whose wheel bundles FFmpeg 8, listens for Enhanced RTMP (Opus over RTMP); aiortc + aiohttp
# make the WHIP endpoint the WebRTC tests publish to; kubernetes-validate bundles the
# Kubernetes schemas (offline) the deploy manifests are checked against.
venv=.build-venv
if ! "$venv/bin/python" -c 'import av, aiortc, aiohttp, kubernetes_validate' >/dev/null 2>&1; then
  echo "setup: installing PyAV, aiortc, aiohttp and kubernetes-validate into $venv (test receivers, manifest schemas)…"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'av==18.1.0' 'aiortc==1.16.0' 'aiohttp==3.14.5' 'kubernetes-validate==1.37.0'
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: 'swift' is not on PATH; anchor needs Swift 6.1 or newer" >&2
  exit 1
fi

if [ "$build" = 1 ]; then
  echo "setup: building anchor (release)…"
  swift build -c release --product anchor
  echo "setup: built $(swift build -c release --show-bin-path)/anchor"
fi
