#!/usr/bin/env bash
# Installs the Debian 12 packages that fleetsim's build and tests need, only those missing.
# Idempotent and quiet when everything is present. Never installs kubectl: it comes with the
# machine image (kustomize rendering uses it when present) and is not in Debian's archive.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev libfmt-dev libcli11-dev
  libgit2-dev libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
