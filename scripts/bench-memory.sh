#!/usr/bin/env bash
# Measures the tool's peak memory (maximum resident set size) on generated
# bench trees (lint/bench_test.go's genTree: JCasC files of all three realm
# layouts and their provider metadata) of 10,000, 25,000 and 50,000 files,
# in every output format: the figures of the README's Memory paragraph and
# of issue #12 (memory must not grow with the tree).
#
#   scripts/bench-memory.sh [SIZES...]      (default: 10000 25000 50000)
#
# Settings (environment): FORMATS (all), LAYOUT=helm writes the same
# documents as Helm values files (controller.JCasC.configScripts), KEEP=1 keeps the trees, BIN uses a
# built binary instead of building the work tree's, TREES keeps the trees in
# that directory and reuses them (to compare two binaries on one tree).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/bench-memory.XXXXXX")"
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 25000 50000)
formats=(${FORMATS:-text json sarif github junit checkstyle gitlab})
bin="${BIN:-}"
if [ -z "$bin" ]; then
  bin="$tmp/jenkins-oidc-lint"
  (cd "$repo" && go build -o "$bin" ./cmd/jenkins-oidc-lint)
fi
(cd "$repo" && go test -c -o "$tmp/lint.test" ./lint)
printf '%-8s %-11s %10s %8s\n' files format peak-MB seconds
for n in "${sizes[@]}"; do
  tree="${TREES:-$tmp}/${LAYOUT:+$LAYOUT-}tree-$n"
  if [ ! -d "$tree" ]; then
    mkdir -p "$(dirname "$tree")"
    BENCH_TREE_LAYOUT="${LAYOUT:-}" BENCH_TREE_DIR="$tree" BENCH_TREE_FILES="$n" "$tmp/lint.test" -test.run '^TestWriteBenchTree$' >/dev/null
  fi
  for f in "${formats[@]}"; do
    set +e
    /usr/bin/time -f '%M %e' -o "$tmp/time" "$bin" --no-config -f "$f" "$tree" >/dev/null 2>&1
    set -e
    read -r kb secs < <(tail -n 1 "$tmp/time")
    printf '%-8s %-11s %10.1f %8s\n' "$n" "$f" "$(echo "$kb / 1024" | bc -l)" "$secs"
  done
done
