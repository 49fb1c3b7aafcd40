#!/usr/bin/env bash
# Head-to-head secret-scanning benchmark: jenkins-oidc-lint --all-files
# against gitleaks, on a generated tree (see scripts/README.md).
#
# A manual benchmark: .ci/run does not run it. It needs Go and the network
# access `go install` needs (the Go module proxy) the first time.
#
#   scripts/bench-secrets.sh
#
# Settings (environment): RUNS (5), SEED (20240601), FILES (5000),
# BYTES (50000000), CORES (2: pinned with taskset when the machine has more;
# "all" to not pin), GITLEAKS_VERSION (v8.30.1), BENCH_DIR (default: a new
# temporary directory; reusing one keeps its gitleaks binary).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
seed="${SEED:-20240601}"
files="${FILES:-5000}"
bytes="${BYTES:-50000000}"
cores="${CORES:-2}"
glver="${GITLEAKS_VERSION:-v8.30.1}"
dir="${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench-secrets.XXXXXX")}"
dir="$(cd "$dir" && pwd)"
bin="$dir/bin"
tree="$dir/tree"
mkdir -p "$bin" "$dir/results"
rm -f "$dir"/results/*

echo "== building jenkins-oidc-lint and the benchmark helper into $bin"
(cd "$repo" && go build -o "$bin/jenkins-oidc-lint" ./cmd/jenkins-oidc-lint &&
  go build -o "$bin/benchsecrets" ./scripts/benchsecrets)

if [ ! -x "$bin/gitleaks" ]; then
  echo "== installing gitleaks $glver (go install, outside this module)"
  # pkg@version ignores the current module; run from the temp dir anyway, with
  # module mode forced, so no go.work or vendor directory of ours applies
  (cd "$dir" && GOWORK=off GOFLAGS=-mod=mod GOBIN="$bin" go install "github.com/zricethezav/gitleaks/v8@$glver")
fi

# the timer: GNU time (Debian package "time"), else the helper's rusage wrapper
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing GNU time"
  { apt-get update -qq && apt-get install -y -qq time; } >/dev/null 2>&1 || true
fi
if [ -x /usr/bin/time ] && /usr/bin/time -v -o /dev/null true >/dev/null 2>&1; then
  timer=(/usr/bin/time -v -o)
  timer_name="GNU time -v"
else
  timer=("$bin/benchsecrets" time -o)
  timer_name="benchsecrets time (rusage)"
fi

# the cores: pin both tools to the same CPUs when the machine has more
ncpu="$(nproc)"
pin=()
label="$ncpu"
if [ "$cores" != all ] && [ "$ncpu" -gt "$cores" ]; then
  if command -v taskset >/dev/null 2>&1; then
    pin=(taskset -c "0-$((cores - 1))")
    label="$cores"
  else
    echo "warning: $ncpu cores and no taskset: running unpinned" >&2
  fi
fi

echo "== generating the tree (seed $seed, $files files, ~$bytes bytes) in $tree"
"$bin/benchsecrets" gen -dir "$dir" -seed "$seed" -files "$files" -bytes "$bytes"

run_ours() {
  local rc=0
  ${pin[@]+"${pin[@]}"} "${timer[@]}" "$dir/results/time-ours-$1.txt" \
    "$bin/jenkins-oidc-lint" --all-files --format json --no-config "$tree" \
    >"$dir/results/ours-$1.json" 2>"$dir/results/ours-$1.stderr" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "jenkins-oidc-lint exited $rc (2 = unreadable input); see $dir/results/ours-$1.*" >&2
    exit 1
  fi
}

run_gitleaks() {
  local rc=0
  (cd "$dir" && env -u GITLEAKS_CONFIG -u GITLEAKS_CONFIG_TOML \
    ${pin[@]+"${pin[@]}"} "${timer[@]}" "$dir/results/time-gitleaks-$1.txt" \
    "$bin/gitleaks" dir "$tree" --no-banner --redact --log-level error --exit-code 0 \
    --report-format json --report-path "$dir/results/gitleaks-$1.json") \
    2>"$dir/results/gitleaks-$1.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "gitleaks exited $rc; see $dir/results/gitleaks-$1.stderr" >&2
    exit 1
  fi
}

loadavg() { if [ -r /proc/loadavg ]; then cut -d' ' -f1-3 /proc/loadavg; else echo "?"; fi; }
load_before="$(loadavg)"
echo "== $runs runs each, alternating (timer: $timer_name; cores: $label; load average $load_before)"
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) -eq 1 ]; then
    run_ours "$i"; run_gitleaks "$i"
  else
    run_gitleaks "$i"; run_ours "$i"
  fi
  echo "   run $i done"
done

load_after="$(loadavg)"
echo
echo "Load average (1, 5, 15 min) before the runs: $load_before; after: $load_after (other work on the machine skews wall times)" | tee "$dir/summary.txt"
"$bin/benchsecrets" score -dir "$dir" -tree "$tree" -runs "$runs" -cores "$label" -gitleaks "$glver" | tee -a "$dir/summary.txt"
echo
echo "Tree, lists (planted.tsv, bait.tsv), reports and timings: $dir"
