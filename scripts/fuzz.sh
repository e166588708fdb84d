#!/usr/bin/env bash
# Fuzzes the schema front end (lexer, parser, validator, relationship analysis) with libFuzzer:
#   scripts/fuzz.sh [SECONDS]     (default 60)
# Builds Fuzz/FuzzSchema with -sanitize=fuzzer,address into .build-fuzz, seeds it with
# ../shared/corpus/psl and ../shared/corpus/real plus the inputs it found before
# (.build-fuzz/work/corpus), uses Fuzz/psl.dict, and prints executions, executions per second,
# coverage and any crash input. A crash, a hang over 10 s (-timeout) or a violated
# FrontEndCheck invariant is saved under .build-fuzz/work/crashes and makes the script fail;
# keep each one as a regression input in Tests/CoreTests/Fixtures/fuzz/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shared="$(cd .. && pwd)/shared/corpus"

echo "== building the fuzz target (release, -sanitize=fuzzer,address)"
PHASERUNNER_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product fuzz-schema \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
bin=".build-fuzz/release/fuzz-schema"
[ -x "$bin" ] || { echo "fuzz.sh: the build did not produce $bin" >&2; exit 1; }

work=".build-fuzz/work"
mkdir -p "$work/corpus" "$work/crashes"
log="$work/fuzz.log"
seeds=()
for d in "$shared/psl" "$shared/real" Tests/CoreTests/Fixtures/fuzz; do [ -d "$d" ] && seeds+=("$d"); done

echo "== fuzzing for ${seconds}s (seeds: ${seeds[*]})"
status=0
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" "$bin" "$work/corpus" "${seeds[@]}" \
  -dict=Fuzz/psl.dict -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?

execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
units=$(ls "$work/corpus" | wc -l)
echo "executions: ${execs:-?} (${rate:-?}/s); coverage: ${cov:-?} edges, ${ft:-?} features; corpus: $units inputs"
crashes=$(ls "$work/crashes" 2>/dev/null | wc -l)
if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
  echo "fuzz.sh: libFuzzer exited with $status; crash inputs in $work/crashes:" >&2
  ls -la "$work/crashes" >&2
  grep -E 'ERROR|SUMMARY|violation|deadly signal|timeout' "$log" | head -20 >&2
  for f in "$work"/crashes/*; do [ -f "$f" ] && { echo "--- $f (first 400 bytes)"; head -c 400 "$f" | cat -v; echo; } >&2; done
  exit 1
fi
echo "no crashes"
