#!/usr/bin/env bash
# A clean build of the ci preset as CI does it (unity batches, line tables only) against the same
# build compiled file by file with full debug information (how the preset built before), in the
# same run, from scratch folders with the same compiler and flags otherwise. Goal: <= 6 minutes.
#   bash perf/bench/build_time.sh [--quick]    (--quick: the preset's build only, no anchor)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
scratch=$(mktemp -d /tmp/loadgate-build-time.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# Wall seconds and CPU seconds (user + system) of one clean configure-and-build into $1.
clean_build() {
  local dir=$1; shift
  cmake --preset ci -S "$repo" -B "$dir" "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log" >&2; exit 1; }
  /usr/bin/time -o "$dir.time" -f '%e %U %S' cmake --build "$dir" >"$dir.build.log" 2>&1 ||
    { tail -40 "$dir.build.log" >&2; exit 1; }
  awk '{printf "%.0f %.0f\n", $1, $2 + $3}' "$dir.time"
}
objects() { find "$1" -name '*.o' | wc -l; }

read -r ci_wall ci_cpu < <(clean_build "$scratch/ci")
echo "ci preset (unity build, -g1):      ${ci_wall} s wall, ${ci_cpu} s CPU, $(objects "$scratch/ci") objects"
[[ ${1:-} == --quick ]] && exit 0

read -r file_wall file_cpu < <(clean_build "$scratch/per-file" -DCMAKE_UNITY_BUILD=OFF \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g -DNDEBUG")
echo "file by file with -g (the anchor): ${file_wall} s wall, ${file_cpu} s CPU, $(objects "$scratch/per-file") objects"
python3 -c "import sys; w, c, fw, fc = map(float, sys.argv[1:]);
print(f'anchor/ci: {fw / w:.2f}x wall, {fc / c:.2f}x CPU; the ci preset: {w / 60:.1f} min (goal <= 6)')" \
  "$ci_wall" "$ci_cpu" "$file_wall" "$file_cpu"
