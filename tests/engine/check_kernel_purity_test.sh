#!/usr/bin/env bash
# Tests scripts/check_kernel_purity.sh on fixture trees: the clean one passes (look-alike names,
# clocks in sim/cli/), the dirty one fails and reports exactly the expected file:line list.
# Usage: check_kernel_purity_test.sh PROJECT_ROOT
set -uo pipefail
root="$1"
script="$root/scripts/check_kernel_purity.sh"
data="$root/tests/engine/testdata"

if ! bash "$script" "$data/purity_clean" >/dev/null; then
  echo "FAIL: clean fixture reported violations:"
  bash "$script" "$data/purity_clean"
  exit 1
fi

out="$(bash "$script" "$data/purity_dirty")"
rc=$?
if [[ $rc -ne 1 ]]; then
  echo "FAIL: dirty fixture exit code $rc, want 1"
  exit 1
fi
got="$(echo "$out" | grep -oE '^[a-z/]+\.(cc|h):[0-9]+' | sort)"
want="$( (for l in $(seq 3 14); do echo "engine/bad.cc:$l"; done; echo "sim/argocd/clock.h:2") | sort)"
if [[ "$got" != "$want" ]]; then
  echo "FAIL: dirty fixture reported"
  echo "$got"
  echo "want"
  echo "$want"
  exit 1
fi
echo "ok"
