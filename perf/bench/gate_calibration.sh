#!/bin/sh
# Builds and runs the gate's offline calibration against an existing build of the library.
#   perf/bench/gate_calibration.sh [build-dir] [-- options of gate_calibration]
# e.g. perf/bench/gate_calibration.sh build/h-gate --trials 200 --drift 0.03
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/dev}
[ $# -gt 0 ] && shift
library=$(find "$build" -name libloadgate.a | head -n 1)
[ -n "$library" ] || { echo "no libloadgate.a under $build: build the loadgate target first" >&2; exit 1; }
binary="$build/gate_calibration"
g++ -std=c++20 -O2 -DNDEBUG -I"$root/perf/include" -I"$root/perf/src" -I"$here" "$here/gate_calibration.cpp" "$library" -lfmt -pthread -o "$binary"
exec "$binary" "$@"
