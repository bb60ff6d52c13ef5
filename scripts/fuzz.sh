#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, built into Swift's clang) of every parser of outside text:
# show scripts, catalog files, chat messages, viewer events, RTMP bytes from a server, platform chat payloads,
# what a WebRTC peer sends (SDP answers, STUN, RTCP, RTP payloads).
#   scripts/fuzz.sh                 each target for 250 000 runs (1 500 000 in all)
#   scripts/fuzz.sh script 2000000  one target, that many runs
# (lld links it: gold fails on libFuzzer beside SwiftPM's renamed main.)
# Seeds come from Tests/Fixtures/fuzz/TARGET/; the growing corpus is kept in .build-fuzz/corpus/.
# An input that crashes is written to .build-fuzz/crashes/TARGET-…: fix the bug, then copy the
# input into Tests/Fixtures/fuzz/TARGET/ so the test suite replays it (FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(script catalog chat rtmp events platforms webrtc)
runs=250000
if [ $# -ge 1 ]; then targets=("$1"); fi
if [ $# -ge 2 ]; then runs="$2"; fi

scratch=.build-fuzz
echo "fuzz: building anchor-fuzz with -sanitize=fuzzer (release; the first build takes a few minutes)…"
swift build -c release --product anchor-fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >/dev/null
bin="$scratch/release/anchor-fuzz"
mkdir -p "$scratch/crashes"
status=0
for t in "${targets[@]}"; do
  corpus="$scratch/corpus/$t"
  mkdir -p "$corpus"
  echo "fuzz: $t, $runs runs"
  # -max_len 65536: chat messages and shows up to 64 KB; -timeout 10: a hang is a failure too.
  # SWIFT_BACKTRACE=enable=no: let libFuzzer, not Swift's backtracer, catch a trap and keep the input.
  if ! SWIFT_BACKTRACE=enable=no ANCHOR_FUZZ_TARGET="$t" "$bin" "$corpus" "Tests/Fixtures/fuzz/$t" -runs="$runs" -max_len=65536 -timeout=10 \
       -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$scratch/crashes/$t-" 2> "$scratch/$t.log"; then
    status=1
    echo "fuzz: $t FAILED; see $scratch/$t.log and $scratch/crashes/" >&2
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$scratch/$t.log" | tail -3 | sed 's/^/  /'
done
exit $status
