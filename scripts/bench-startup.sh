#!/usr/bin/env bash
# The whole process, as an editor, a pre-commit hook or CI starts it: the
# built jenkins-oidc-lint on one JCasC file, one Jenkinsfile, the same JCasC
# file under a settings file, the same with the example policies (--policy:
# the run starts jenkins-oidc-lint-policy, the worker that links CUE, and
# its instructions count too; --policy-timeout 10m, as under valgrind a
# worker runs 50 times slower and would be killed, uncounted, over the
# default 2 s), and --version, against actionlint on a GitHub
# workflow and its --version. Each line is the median of N runs (after a few
# unmeasured ones) of wall time and of CPU time (user + system: a loaded
# machine inflates it less), peak memory and, with CALLGRIND=1 (valgrind
# installed), the instructions one run executes, which do not depend on the
# load. The runs are interleaved (rounds: every command once per round), and
# a Go program that only prints a line gives the floor, what starting any Go
# process costs on the machine. Then the package initialisation of --version
# (GODEBUG=inittrace=1, median per package).
#
#   scripts/bench-startup.sh              # N=50 rounds
#   N=200 CALLGRIND=1 scripts/bench-startup.sh
#   JOL_BIN=/tmp/old/jenkins-oidc-lint scripts/bench-startup.sh   # another build
#                              (its jenkins-oidc-lint-policy next to it)
#   ACTIONLINT=/path/to/actionlint scripts/bench-startup.sh       # no install
#   BEFORE=/tmp/old/jenkins-oidc-lint scripts/bench-startup.sh
#                              (adds that build's one-JCasC-file and --version
#                              lines, in the same rounds: a before/after)
#
# actionlint is installed with `go install
# github.com/rhysd/actionlint/cmd/actionlint@latest` (the Go module proxy)
# into the temporary directory, unless ACTIONLINT names one or one is on PATH.
# Both are built as released Go tools are, with CGO_ENABLED=0: a static
# binary, which the dynamic loader does not have to start (with cgo, the
# net package links the C library and every run pays about 2 ms for it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
n="${N:-50}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/bench-startup.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
bin="$dir/bin"
mkdir -p "$bin" "$dir/one" "$dir/settings" "$dir/policy" "$dir/workflow"

echo "== building jenkins-oidc-lint, jenkins-oidc-lint-policy and the helper"
export CGO_ENABLED=0
go build -o "$bin/benchstartup" ./scripts/benchstartup
jol="${JOL_BIN:-}"
if [ -z "$jol" ]; then
  go build -o "$bin/" ./cmd/...
  jol="$bin/jenkins-oidc-lint"
fi

al="${ACTIONLINT:-$(command -v actionlint || true)}"
if [ -z "$al" ]; then
  echo "== installing actionlint (go install, outside this module)"
  (cd "$dir" && GOWORK=off GOFLAGS=-mod=mod GOBIN="$bin" go install github.com/rhysd/actionlint/cmd/actionlint@latest)
  al="$bin/actionlint"
fi

# The inputs: the shipped examples, in directories of their own (no settings
# file is found upward from a temporary directory), and the project's own
# example workflow for actionlint.
cp testdata/examples/google/jenkins.yaml "$dir/one/jenkins.yaml"
cp testdata/examples/keycloak/Jenkinsfile "$dir/one/Jenkinsfile"
cp testdata/examples/google/jenkins.yaml "$dir/settings/jenkins.yaml"
cp testdata/examples/google/jenkins.yaml "$dir/policy/jenkins.yaml"
printf 'rules:\n  audit-log-missing: off\n  insecure-url: {severity: note}\nexclude: [vendor/**]\n' >"$dir/settings/.jenkins-oidc-lint.yaml"
cp docs/integrations/github-workflow.yml "$dir/workflow/ci.yml"

cg=()
if [ "${CALLGRIND:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "CALLGRIND=1 needs valgrind (apt-get install valgrind)" >&2; exit 2; }
  cg=(-callgrind)
fi
b="$bin/benchstartup"
# The floor: a Go program that prints one line, built the same way (what
# any Go process costs to start on this machine).
mkdir -p "$dir/floor"
printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("floor\\n") }\n' >"$dir/floor/main.go"
printf 'module floor\n\ngo 1.26\n' >"$dir/floor/go.mod"
(cd "$dir/floor" && GOWORK=off go build -o "$bin/floor" .)
# One line a command; the rounds run every command once each, so the
# machine's load falls on all lines alike.
cat >"$dir/list" <<EOF
jenkins-oidc-lint jenkins.yaml (one JCasC file)|$dir/one|$jol|jenkins.yaml
jenkins-oidc-lint Jenkinsfile|$dir/one|$jol|Jenkinsfile
jenkins-oidc-lint jenkins.yaml, settings file|$dir/settings|$jol|jenkins.yaml
jenkins-oidc-lint jenkins.yaml --policy (3 example policies)|$dir/policy|$jol|--policy|$repo/testdata/policies|--policy-timeout|10m|jenkins.yaml
jenkins-oidc-lint --version|$dir/one|$jol|--version
actionlint ci.yml (one workflow)|$dir/workflow|$al|ci.yml
actionlint --version|$dir/workflow|$al|--version
a Go program that prints a line (the floor)|$dir/one|$bin/floor
EOF
if [ -n "${BEFORE:-}" ]; then
  cat >>"$dir/list" <<EOF
BEFORE: jenkins-oidc-lint jenkins.yaml (one JCasC file)|$dir/one|$BEFORE|jenkins.yaml
BEFORE: jenkins-oidc-lint --version|$dir/one|$BEFORE|--version
EOF
fi
echo "== $n rounds on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo -e "run\twall median\twall p90\tCPU median\tpeak RSS\texit\tinstructions"
  "$b" rounds -n "$n" "${cg[@]}" "$dir/list"
} | awk -F'\t' 'NR == 1 { print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " |"; print "|---|---|---|---|---|---|---|"; next }
  { print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " |" }'
echo
"$b" inittrace -n "$n" -top 10 -- "$jol" --version
