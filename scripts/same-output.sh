#!/usr/bin/env bash
# Checks that a change keeps the tool's output byte for byte: builds the tool
# at REV (default: HEAD) and from the work tree, runs both on every fixture
# tree (testdata/rules cases, each extracted from its .txtar, testdata/embedded cases, the examples, the
# everyday corpus) and on a generated bench tree, in every format, and
# diffs each pair. Exit 0 when every output and exit code is the same.
#
#   scripts/same-output.sh [REV]
#
# Settings (environment): FILES (2000) and BYTES (20000000) size the
# generated tree; KEEP=1 keeps the temporary directory.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-HEAD}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")"
[ "${KEEP:-}" = 1 ] || trap 'git -C "$repo" worktree remove --force "$tmp/old" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

git -C "$repo" worktree add --detach "$tmp/old" "$rev" >/dev/null 2>&1
(cd "$tmp/old" && go build -o "$tmp/old.bin" ./cmd/jenkins-oidc-lint) # --no-config: no policies, no worker
(cd "$repo" && go build -o "$tmp/new.bin" ./cmd/jenkins-oidc-lint && go build -o "$tmp/gen" ./scripts/benchsecrets)
(cd "$repo" && go run ./scripts/rulecases -extract "$tmp/rules" testdata/rules) >/dev/null
"$tmp/gen" gen -dir "$tmp/tree" -files "${FILES:-2000}" -bytes "${BYTES:-20000000}" >/dev/null

trees=("$tmp/tree")
for d in "$tmp"/rules/*/* "$repo"/testdata/embedded/* "$repo"/testdata/examples "$repo"/testdata/corpus/everyday; do
  [ -d "$d" ] && trees+=("$d")
done

same=0 differ=0
for t in "${trees[@]}"; do
  for f in text json sarif github junit checkstyle gitlab; do
    for mode in "" "--all-files"; do
      set +e
      (cd "$(dirname "$t")" && "$tmp/old.bin" --no-config $mode -f "$f" "$(basename "$t")") >"$tmp/o" 2>"$tmp/oe"; oc=$?
      (cd "$(dirname "$t")" && "$tmp/new.bin" --no-config $mode -f "$f" "$(basename "$t")") >"$tmp/n" 2>"$tmp/ne"; nc=$?
      set -e
      if [ "$oc" = "$nc" ] && cmp -s "$tmp/o" "$tmp/n" && cmp -s "$tmp/oe" "$tmp/ne"; then
        same=$((same + 1))
      else
        differ=$((differ + 1))
        echo "DIFFERS: ${t#"$repo"/} -f $f $mode (exit $oc → $nc)"
        diff "$tmp/o" "$tmp/n" | head -5 || true
      fi
    done
  done
done
echo "same: $same, differ: $differ"
[ "$differ" = 0 ]
