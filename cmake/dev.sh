#!/usr/bin/env bash
# The two commands of the README:
#   bash cmake/dev.sh perf   the perf suite against the embedded simulator (Release build)
#   bash cmake/dev.sh test   the tests of loadgate itself (what CI runs), then its fuzzers for a
#                            bounded count each (a clang build of their own: the fuzz preset)
set -euo pipefail
cd "$(dirname "$0")/.."
job=${1:-}
case "$job" in
  perf) preset=perf ;;
  test) preset=ci ;;
  *) echo "usage: bash cmake/dev.sh perf|test" >&2; exit 2 ;;
esac
bash cmake/setup.sh
cmake --workflow --preset "$preset"
if [ "$job" = test ]; then
  exec cmake --workflow --preset fuzz
fi
