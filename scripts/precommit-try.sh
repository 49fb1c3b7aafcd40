#!/usr/bin/env bash
# Runs the repository's pre-commit hook with the real pre-commit (Debian's
# package) on two fixture repositories: one with findings (the hook must fail
# and print the report) and one that is clean (the hook must pass). .ci/run
# runs it; it needs pre-commit on PATH and the Go module proxy (pre-commit
# builds the hook with `go install`, language: golang).
#
#   scripts/precommit-try.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/precommit-try.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/cache"
# pre-commit gives the hook a GOPATH of its own; the module and build caches
# of this machine are reused, so the hook builds in seconds, not minutes
GOMODCACHE="$(go env GOMODCACHE)"; GOCACHE="$(go env GOCACHE)"
export GOMODCACHE GOCACHE

fixture() { # name, then files to copy as dest=src (src relative to the repository, or absolute)
  local dir="$tmp/$1"; shift
  mkdir -p "$dir"
  git -C "$dir" init -q
  for pair in "$@"; do
    mkdir -p "$dir/$(dirname "${pair%%=*}")"
    src="${pair#*=}"; case "$src" in /*) ;; *) src="$repo/$src" ;; esac
    cp "$src" "$dir/${pair%%=*}"
  done
  git -C "$dir" add -A
  git -C "$dir" -c user.email=ci@example.com -c user.name=ci commit -qm fixture
}

(cd "$repo" && go run ./scripts/rulecases -extract "$tmp/rules" testdata/rules) >/dev/null # the rule cases as trees
fixture bad casc/jenkins.yaml=testdata/examples/google/jenkins.yaml \
  casc/accounts.google.com.openid-configuration.json=testdata/examples/google/accounts.google.com.openid-configuration.json \
  ci/Jenkinsfile_k8s="$tmp"/rules/tls-verification-disabled/fire-jenkinsfile-declarative/Jenkinsfile \
  charts/values.yaml=testdata/embedded/helm-values/values.yaml
fixture good charts/values.yaml=testdata/embedded/quiet-helm/values.yaml \
  ci/Jenkinsfile="$tmp"/rules/tls-verification-disabled/quiet-jenkinsfile-comments/Jenkinsfile

echo "-- findings: the hook fails and prints them"
set +e
(cd "$tmp/bad" && pre-commit try-repo "$repo" jenkins-oidc-lint --all-files) >"$tmp/bad.out" 2>&1
code=$?
set -e
cat "$tmp/bad.out"
[ "$code" -eq 1 ] || { echo "pre-commit exited $code on the fixture with findings, want 1"; exit 1; }
grep -q 'casc/jenkins.yaml:.*\[issuer-mismatch\]' "$tmp/bad.out"
grep -q 'charts/values.yaml:22:30: error: .*\[committed-secret\]' "$tmp/bad.out"
grep -q 'ci/Jenkinsfile_k8s:.*\[tls-verification-disabled\]' "$tmp/bad.out"
if grep -q 'GOCSPX-\|Wm4Tq9Lx' "$tmp/bad.out"; then echo "a secret reached pre-commit's output"; exit 1; fi

echo "-- a clean repository: the hook passes"
(cd "$tmp/good" && pre-commit try-repo "$repo" jenkins-oidc-lint --all-files)
echo "pre-commit: the hook fails on findings (exit 1) and passes on a clean repository"
