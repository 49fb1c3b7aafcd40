#!/usr/bin/env bash
# Reproduces the README's performance figures: runs the Go benchmarks with a
# fixed count and prints them (pipe two runs into benchstat to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${COUNT:-5}"
go test ./lint -run '^$' -bench 'Lint1000' -benchtime 10x -count "$count" -benchmem
go test ./schema -run '^$' -bench . -count "$count" -benchmem 2>/dev/null || true
