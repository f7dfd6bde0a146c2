#!/usr/bin/env bash
# Fails (exit 1, listing file:line) when kernel or model code under engine/ or sim/ reads the wall
# clock, the environment or a global random generator. Only sim/cli/ may create real clocks.
# Usage: check_kernel_purity.sh [PROJECT_ROOT]   (default: the repository holding this script)
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
if [[ ! -d "$root" ]]; then
  echo "check_kernel_purity: no such directory: $root" >&2
  exit 2
fi
cd "$root"

forbidden=(
  'system_clock'
  'steady_clock'
  'high_resolution_clock'
  '\b(utc|tai|gps|file)_clock\b'
  'chrono::[A-Za-z_:]*::now\b'
  'random_device'
  '\b(s?rand|rand_r|drand48|lrand48|mrand48)[[:space:]]*\('
  '\b(secure_)?getenv\b'
  '\btime[[:space:]]*\([[:space:]]*(nullptr|NULL|0)[[:space:]]*\)'
  '\b(clock_gettime|gettimeofday)\b'
)
pattern="$(IFS='|'; echo "${forbidden[*]}")"

dirs=()
for d in engine sim; do
  [[ -d "$d" ]] && dirs+=("$d")
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  echo "check_kernel_purity: neither engine/ nor sim/ found under $root" >&2
  exit 2
fi

hits="$(grep -rnE "$pattern" "${dirs[@]}" \
          --include='*.h' --include='*.hh' --include='*.hpp' --include='*.cc' --include='*.cpp' \
          --include='*.cxx' --include='*.inc' --include='*.ipp' \
        | grep -v '^sim/cli/' || true)"

if [[ -n "$hits" ]]; then
  echo "Kernel purity violated: engine/ and sim/ (except sim/cli/) must not read the wall clock,"
  echo "the environment or a global random generator; take time and randomness from the Simulator"
  echo "and a RandomStream instead."
  echo "$hits"
  exit 1
fi
echo "kernel purity: ok (${dirs[*]})"
