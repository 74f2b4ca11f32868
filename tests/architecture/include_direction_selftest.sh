#!/usr/bin/env bash
# Self-test of include_direction.sh: a check that cannot fail proves nothing. This builds a small
# fake tree in a temporary folder with two wrong-way includes and a few correct ones that look
# alike, and asserts that the checker
#   1. exits 1 and names exactly the two violations (and none of the correct includes), and
#   2. exits 0 with its "no violations" line once the two includes are removed.
# Usage: include_direction_selftest.sh   (no arguments; never touches the real tree)
set -u

checker="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/include_direction.sh"
tree=$(mktemp -d "${TMPDIR:-/tmp}/include_direction_selftest.XXXXXX")
trap 'rm -rf "$tree"' EXIT

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# write PATH LINE...: creates $tree/PATH with the given lines.
write() {
  local path=$tree/$1
  shift
  mkdir -p "$(dirname "$path")"
  printf '%s\n' "$@" >"$path"
}

# --- The fake tree ---------------------------------------------------------------------------
# The two violations: stats reaching right into llm, gate reaching into a reporter. Each file
# also has a correct include, so a checker that flags whole files would be caught.
write perf/src/stats/x.cpp \
  '#include "loadgate/histogram.hpp"' \
  '#include "loadgate/llm/adapter.hpp"' \
  '#include <vector>'
write perf/src/gate/y.cpp \
  '#include "loadgate/result.hpp"' \
  '#include "loadgate/summary_table.hpp"'

# Clean files, each near a rule without breaking it.
write perf/include/loadgate/histogram.hpp \
  '#pragma once' \
  '#include "loadgate/error.hpp"'                      # unboxed: allowed everywhere
write perf/src/stats/json_read.hpp \
  '// #include "loadgate/llm/adapter.hpp"  (a comment, not an include)' \
  '#include "detail/strict_json.hpp"'                  # detail/ is shared
write perf/src/llm/z.cpp \
  '#include "loadgate/llm/adapter.hpp"' \
  '#include "loadgate/histogram.hpp"' \
  '#include "random.hpp"'                              # llm may use the histogram; a sibling
write perf/src/llm/random.hpp '#pragma once'
write perf/src/gate/w.cpp \
  '#  include "loadgate/gate/gate.hpp"' \
  '#include "gate/blocks.hpp"'                         # gate's own headers
write perf/src/protocol/v.cpp \
  '#include "loadgate/task.hpp"' \
  '#include "protocol/connection_settings.hpp"'        # protocol's own headers
write perf/src/engine/u.cpp \
  '#include "loadgate/scenario.hpp"' \
  '#include "protocol/http_connection.hpp"'            # engine may know the protocol

expected=(
  'perf/src/stats/x.cpp:2: stats must not include loadgate/llm/adapter.hpp (llm)'
  'perf/src/gate/y.cpp:2: gate must not include loadgate/summary_table.hpp (report)'
)

# --- 1. With the violations ------------------------------------------------------------------
output=$(bash "$checker" "$tree")
status=$?
[[ $status == 1 ]] || fail "with violations: exit $status, expected 1"
for line in "${expected[@]}"; do
  grep -qxF -- "$line" <<<"$output" || fail "with violations: missing line: $line"
done
reported=$(grep -c ' must not include ' <<<"$output")
[[ $reported == "${#expected[@]}" ]] ||
  fail "with violations: $reported violation lines, expected ${#expected[@]}"
if ((failures > 0)); then printf 'checker printed:\n%s\n' "$output"; fi

# --- 2. With the violations removed ----------------------------------------------------------
write perf/src/stats/x.cpp '#include "loadgate/histogram.hpp"' '#include <vector>'
write perf/src/gate/y.cpp '#include "loadgate/result.hpp"'
output=$(bash "$checker" "$tree")
status=$?
[[ $status == 0 ]] || fail "clean: exit $status, expected 0"
[[ $output == 'include directions: 9 files checked, no violations' ]] ||
  fail "clean: unexpected output: $output"

if ((failures > 0)); then
  echo "include_direction self-test: $failures failure(s)"
  exit 1
fi
echo "include_direction self-test: the check fails on both violations and passes without them"
