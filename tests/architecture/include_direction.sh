#!/usr/bin/env bash
# Include directions between the library's boxes (DESIGN.md, "The data flow").
#
#   Scenario -> Runner (engine) -> Recorder -> Result (stats) -> Gate -> Report
#                  '-- protocol, llm (to the left of the recorder)
#
# "A box knows only the boxes to its left." The compiler cannot see that rule: an include of a
# box to the right compiles fine and quietly turns the one-way flow into a knot. This script reads
# the #include lines of every .hpp/.cpp in the library (perf/src, perf/include) and prints one line
# per include that goes the wrong way:
#
#   file:line: <box> must not include <header> (<box of header>)
#
# Usage: include_direction.sh [repository root]   (default: this script's ../..)
# Exit:  0 no violations, 1 violations printed, 2 the root does not look like the repository.
#
# Only the lines are read; nothing is built or compiled, so this takes about a second.
set -u

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
root=${root%/}

# --- The boxes -------------------------------------------------------------------------------
# Which repository path belongs to which box. A trailing / means the whole folder, subfolders
# included; anything else is one file. Public headers are listed by name because they all sit
# side by side in perf/include/loadgate/. Some listed headers may not exist yet (they are being
# created); the list, not the tree, is the definition. A path in no entry is unboxed:
# loadgate/error.hpp, the umbrella loadgate/loadgate.hpp, the shared private layer perf/src/detail/
# and perf/src/workload/ (not a box of its own in the design).
boxes=(
  # box      path
  "stats     perf/src/stats/"
  "stats     perf/include/loadgate/histogram.hpp"
  "stats     perf/include/loadgate/result.hpp"
  "stats     perf/include/loadgate/tally.hpp"
  "stats     perf/include/loadgate/observation.hpp"
  "stats     perf/include/loadgate/time_series.hpp"
  "stats     perf/include/loadgate/request_stats.hpp"
  "stats     perf/include/loadgate/failure_kind.hpp"
  "stats     perf/include/loadgate/shard.hpp"

  "llm       perf/src/llm/"
  "llm       perf/include/loadgate/llm/"

  "engine    perf/src/engine/"
  "engine    perf/include/loadgate/scenario.hpp"
  "engine    perf/include/loadgate/run.hpp"
  "engine    perf/include/loadgate/run_stop.hpp"
  "engine    perf/include/loadgate/stage.hpp"
  "engine    perf/include/loadgate/think_time.hpp"
  "engine    perf/include/loadgate/arrival_process.hpp"

  "scenario  perf/src/scenario/"
  "scenario  perf/include/loadgate/scenario_runner.hpp"
  "scenario  perf/include/loadgate/target_from_env.hpp"
  "scenario  perf/include/loadgate/dialect_detection.hpp"
  "scenario  perf/include/loadgate/metrics_endpoint.hpp"
  "scenario  perf/include/loadgate/scenario_configuration.hpp"
  "scenario  perf/include/loadgate/gtest.hpp"
  "scenario  perf/include/loadgate/capacity.hpp"
  "scenario  perf/include/loadgate/gated_capacity.hpp"

  "gate      perf/src/gate/"
  "gate      perf/include/loadgate/gate/"

  "report    perf/src/report/"
  "report    perf/include/loadgate/progress_line.hpp"
  "report    perf/include/loadgate/summary_table.hpp"
  "report    perf/include/loadgate/result_files.hpp"
  "report    perf/include/loadgate/run_summary.hpp"
  "report    perf/include/loadgate/time_breakdown.hpp"
  "report    perf/include/loadgate/locust_files.hpp"
  "report    perf/include/loadgate/markdown_summary.hpp"
  "report    perf/include/loadgate/html_report.hpp"
  "report    perf/include/loadgate/run_evidence.hpp"
  "report    perf/include/loadgate/run_folder.hpp"
  "report    perf/include/loadgate/capacity_report.hpp"
  "report    perf/include/loadgate/matrix_report.hpp"

  "protocol  perf/src/protocol/"
  "protocol  perf/include/loadgate/target.hpp"
  "protocol  perf/include/loadgate/task.hpp"

  "config    perf/src/config/"
  "config    perf/include/loadgate/scenario_file.hpp"
  "config    perf/include/loadgate/duration_text.hpp"
)

umbrella=perf/include/loadgate/loadgate.hpp

# --- The rules -------------------------------------------------------------------------------
# "subject  forbidden": files of box <subject> must not include <forbidden>, which is either a
# whole box (box:NAME) or a path as in the box table (trailing / = folder).
rules=(
  # 1. The Result is the hand-over point: it is what gets serialised, merged across shards and
  #    stored as a baseline, so it must not depend on how it was produced (engine, protocol, llm,
  #    scenario, config) nor on who reads it (gate, report).
  "stats     box:llm"
  "stats     box:engine"
  "stats     box:scenario"
  "stats     box:gate"
  "stats     box:report"
  "stats     box:protocol"
  "stats     box:config"
  # 2. llm sits left of the recorder: it produces observations and may use the histogram, but
  #    it must not know the merged Result, the tallies built from it, or stats' private helpers.
  "llm       perf/include/loadgate/result.hpp"
  "llm       perf/include/loadgate/tally.hpp"
  "llm       perf/src/stats/"
  # 3. The Gate decides; reporters format. A gate that includes a reporter formats text itself
  #    or reads its numbers back from a file format instead of from the Result.
  "gate      box:report"
  # 4. The protocol is what the runner calls; if it includes the runner's headers the two can
  #    no longer be tested or replaced apart.
  "protocol  box:engine"
)

# --- Mapping paths and includes to boxes -----------------------------------------------------
# The functions answer in REPLY instead of printing: a $(...) per include line forks a subshell,
# and on a busy build machine several hundred of those take seconds.

# box_of_path PATH -> REPLY: the box a repository-relative path belongs to, empty if unboxed.
box_of_path() {
  local path=$1 entry box pattern
  REPLY=
  for entry in "${boxes[@]}"; do
    box=${entry%% *} pattern=${entry##* }
    if [[ $pattern == */ && $path == "$pattern"* || $path == "$pattern" ]]; then
      REPLY=$box
      return
    fi
  done
}

# path_of_include FILE HEADER QUOTED -> REPLY: the repository path an include refers to, the way
# the library's include directories resolve it (perf/include public, perf/src private):
#   "loadgate/..."  -> perf/include/loadgate/...   (public headers)
#   "<folder>/..."  -> perf/src/<folder>/...        (private, e.g. "engine/recorder.hpp")
#   "name.hpp"      -> next to FILE                  (a sibling, e.g. "random.hpp" in perf/src/llm)
# A quoted include that exists next to FILE is that file, because the compiler looks in the
# including file's folder first.
path_of_include() {
  local file=$1 header=$2 quoted=$3 dir=${1%/*}
  if [[ $quoted == yes && ( $header != */* || -f $root/$dir/$header ) ]]; then
    REPLY=$dir/$header
    # Only a "../" needs normalising (rare, so the fork does not matter).
    [[ $REPLY == *../* ]] && REPLY=$(realpath -m --relative-to="$root" "$root/$REPLY")
  elif [[ $header == loadgate/* ]]; then
    REPLY=perf/include/$header
  else
    REPLY=perf/src/$header
  fi
}

# include_box FILE HEADER QUOTED -> REPLY (box), header_path (what it resolved to).
# The umbrella gets a name of its own so that the one rule about it can print it.
include_box() {
  path_of_include "$@"
  header_path=$REPLY
  if [[ $header_path == "$umbrella" ]]; then REPLY=umbrella; else box_of_path "$header_path"; fi
}

# forbidden_by RULE_TARGET HEADER_PATH HEADER_BOX: whether an include matches a rule's target.
forbidden_by() {
  local target=$1 path=$2 box=$3
  case $target in
    box:*) [[ -n $box && $box == "${target#box:}" ]] ;;
    */)    [[ $path == "$target"* ]] ;;
    *)     [[ $path == "$target" ]] ;;
  esac
}

# --- The scan --------------------------------------------------------------------------------

if [[ ! -d $root/perf/src ]]; then
  echo "include_direction: $root has no perf/src; pass the repository root" >&2
  exit 2
fi

# An #include at the start of a line (spaces and "# include" allowed); an include inside a
# /* block comment */ would be read too, which fails loudly rather than passing quietly.
include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'

checked=0
violations=0
while IFS= read -r -d '' abs; do
  [[ -f $abs ]] || continue   # removed since find listed it (someone is refactoring right now)
  file=${abs#"$root"/}
  box_of_path "$file"
  file_box=$REPLY
  checked=$((checked + 1))
  number=0
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    [[ ${line%$'\r'} =~ $include_re ]] || continue
    header=${BASH_REMATCH[2]}
    quoted=no; [[ ${BASH_REMATCH[1]} == '"' ]] && quoted=yes
    # Third-party and standard headers (<vector>, <boost/...>) never belong to a box.
    [[ $quoted == no && $header != loadgate/* ]] && continue
    include_box "$file" "$header" "$quoted"
    header_box=$REPLY

    # The umbrella is for users of the library; inside it, it would make every file depend on
    # every box and hide all the directions above.
    if [[ $header_box == umbrella ]]; then
      echo "$file:$number: library must not include $header (umbrella)"
      violations=$((violations + 1))
      continue
    fi

    [[ -n $file_box ]] || continue   # rules 1-4 are about boxed files only
    for rule in "${rules[@]}"; do
      subject=${rule%% *} target=${rule##* }
      [[ $subject == "$file_box" ]] || continue
      if forbidden_by "$target" "$header_path" "$header_box"; then
        echo "$file:$number: $file_box must not include $header (${header_box:-unboxed})"
        violations=$((violations + 1))
        break
      fi
    done
  done <"$abs"
done < <(find "$root/perf/src" "$root/perf/include" -type f \( -name '*.hpp' -o -name '*.cpp' \) \
           -print0 2>/dev/null | sort -z)

if ((checked == 0)); then
  echo "include_direction: no .hpp/.cpp files under $root/perf; pass the repository root" >&2
  exit 2
fi
if ((violations > 0)); then
  echo "include directions: $checked files checked, $violations violations"
  exit 1
fi
echo "include directions: $checked files checked, no violations"
