#!/usr/bin/env bash
# Reproduces the README's performance figures with the Go benchmarks (pipe two
# runs into benchstat to compare). The secrets head-to-head against gitleaks
# is scripts/bench-secrets.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${COUNT:-5}"
go test ./lint -run '^$' -bench 'Lint1000|Jenkinsfiles5000' -benchtime 5x -count "$count" -benchmem
go test ./source/jenkinsfile -run '^$' -bench 'Lex|Parse' -count "$count" -benchmem
go test ./secrets -run '^$' -bench 'Scan' -count "$count" -benchmem
go test ./schema -run '^$' -bench . -count "$count" -benchmem
go test ./policy -run '^$' -bench Check -count "$count" -benchmem
